package city.hotline.hub.demo;

import java.util.concurrent.atomic.AtomicReference;

import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Where the demo's stand-ins reach the hub: learnt from the started web server rather than from
 * {@code server.port}, which is 0 when the port is chosen at random (tests).
 */
@Component
@Profile("demo")
public class DemoHubAddress implements ApplicationListener<WebServerInitializedEvent> {

    private final AtomicReference<String> baseUrl = new AtomicReference<>();

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        // the main server only, not a separate management server
        if (event.getApplicationContext().getServerNamespace() == null) {
            baseUrl.set("http://localhost:" + event.getWebServer().getPort());
        }
    }

    /** e.g. {@code url("/api/v1/intake/webform")} */
    public String url(String path) {
        String base = baseUrl.get();
        if (base == null) {
            throw new IllegalStateException("the hub's web server has not started yet");
        }
        return base + path;
    }
}
