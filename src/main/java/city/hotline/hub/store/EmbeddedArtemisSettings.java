package city.hotline.hub.store;

import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Redelivery of the hub's queues on the embedded broker. Artemis's defaults redeliver at once and
 * move a message to the dead-letter queue after 10 attempts, so a database outage of a few seconds
 * would bury status reports there. The hub's consumers quarantine what cannot be applied themselves;
 * what they roll back is an outage, redelivered with a growing delay for as long as it lasts.
 * A real broker needs the same settings for {@code hub.#} (docs/scale-out.md).
 */
@Configuration(proxyBeanMethods = false)
public class EmbeddedArtemisSettings {

    @Bean
    ArtemisConfigurationCustomizer hubAddressSettings() {
        return configuration -> configuration.addAddressSetting("hub.#", new AddressSettings()
                .setRedeliveryDelay(1000)
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(60_000)
                .setMaxDeliveryAttempts(-1));
    }
}
