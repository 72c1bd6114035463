package city.hotline.bench;

import java.util.UUID;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP ceiling: the same web stack as the hub (Spring MVC on embedded Tomcat, default thread
 * pool) answering the same requests with 202 and a receipt of the same shape, doing nothing else.
 * Only the web auto-configurations are imported: the class path is the hub's, and full
 * auto-configuration would start a broker and look for a database. The package is outside
 * {@code city.hotline.hub} so that the hub's component scan never picks this controller up.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({ServletWebServerFactoryAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
        WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class})
@Import(BareHttpApp.Intake.class)
public class BareHttpApp {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(BareHttpApp.class);
        // it shares the hub's class path, but it is not the hub: the hub's start-up secrets check does not apply
        app.setInitializers(app.getInitializers().stream()
                .filter(i -> !(i instanceof city.hotline.hub.console.SecretsGuard)).toList());
        app.run(args);
    }

    @RestController
    static class Intake {
        @PostMapping(path = "/api/v1/intake/{channel}", consumes = "application/json", produces = "application/json")
        ResponseEntity<String> accept(@PathVariable String channel, @RequestBody String body) {
            return ResponseEntity.accepted().body("{\"receiptId\":\"" + UUID.randomUUID() + "\",\"duplicate\":false}");
        }
    }
}
