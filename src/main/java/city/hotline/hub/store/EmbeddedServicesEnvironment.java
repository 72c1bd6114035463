package city.hotline.hub.store;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Chooses between the embedded broker and a real one before auto-configuration runs.
 * Spring Boot would otherwise still start the embedded Artemis server when
 * {@code spring.artemis.broker-url} is set (DESIGN.md §8), so a user who points the hub at a real
 * broker would silently get two.
 */
public class EmbeddedServicesEnvironment implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        Map<String, Object> defaults = new HashMap<>();
        boolean realBroker = hasText(env.getProperty("spring.artemis.broker-url"));
        if (realBroker) {
            defaults.put("spring.artemis.mode", "native");
            defaults.put("spring.artemis.embedded.enabled", "false");
        } else {
            defaults.put("spring.artemis.mode", "embedded");
            defaults.put("spring.artemis.embedded.enabled", "true");
        }
        // lowest precedence: anything the user sets explicitly wins
        env.getPropertySources().addLast(new MapPropertySource("hub-embedded-services", defaults));
    }

    private static boolean hasText(String s) {
        return s != null && !s.isBlank();
    }
}
