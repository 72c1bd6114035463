package city.hotline.hub.dispatch;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * One forward-outbox lane per configured back-end: route {@code forward-<name>} from the
 * {@code forward-lane} template of routes/pipeline.yaml. The back-ends are configuration
 * ({@code hub.backends.<name>}), so their routes are made here rather than listed in the YAML. The
 * lanes are added once the YAML routes (and with them the template) are loaded.
 */
@Component
public class BackendLanes implements CamelContextConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(BackendLanes.class);

    private final BackendsProperties props;

    public BackendLanes(BackendsProperties props, @Value("${hub.outbox.lease:60s}") Duration lease) {
        this.props = props;
        for (Map.Entry<String, BackendsProperties.Backend> e : props.backends().entrySet()) {
            String name = e.getKey();
            BackendsProperties.Backend b = e.getValue();
            if (!name.matches("[a-z][a-z0-9-]*")) {
                throw new IllegalStateException("hub.backends." + name + ": a back-end name is lower case letters, digits and '-'");
            }
            if (!"http".equals(b.mode()) && !"jms".equals(b.mode())) {
                throw new IllegalStateException("hub.backends." + name + ".mode must be http or jms, got '" + b.mode() + "'");
            }
            if ("http".equals(b.mode()) && (b.url() == null || b.url().isBlank())) {
                throw new IllegalStateException("hub.backends." + name + ".url is required in http mode");
            }
            Duration longestCall = Duration.ofMillis(b.connectTimeoutMillis() + b.responseTimeoutMillis());
            if (lease.compareTo(longestCall) <= 0) {
                throw new IllegalStateException("hub.outbox.lease (" + lease + ") must be longer than hub.backends." + name
                        + " connect plus response timeout (" + longestCall + "), or a slow delivery could be sent twice");
            }
        }
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        // the YAML routes (and the template) are not loaded yet
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        props.backends().forEach((name, b) -> {
            TemplatedRouteBuilder.builder(camelContext, "forward-lane")
                    .routeId("forward-" + name)
                    .parameter("backend", name)
                    .parameter("concurrency", String.valueOf(b.concurrency()))
                    .parameter("mode", b.mode())
                    .add();
            LOG.info("Forward lane for back-end {} ({}, {} in flight)", name, b.mode(), b.concurrency());
        });
    }
}
