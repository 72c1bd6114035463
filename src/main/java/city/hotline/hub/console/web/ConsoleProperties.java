package city.hotline.hub.console.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code hub.console.*} (docs/console.md). The two passwords are secrets: from the environment,
 * refused while empty or a shipped default outside the demo profile (console.SecretsGuard), never
 * logged and not part of {@link #toString()}.
 *
 * @param refreshSeconds the dashboard reloads its figures this often
 * @param stuckAfter     a ticket whose forward to a back-end has been pending longer is "stuck"
 * @param responseLimit  a ticket counts as responded to when the back-end acknowledged it (status
 *                       ACCEPTED or later) within this time of its creation (the 响应率)
 * @param events         the event feed on the Artemis topic (docs/events.md)
 */
@ConfigurationProperties("hub.console")
public record ConsoleProperties(String adminPassword, String operatorPassword, int refreshSeconds, Duration stuckAfter,
                                Duration responseLimit, Events events) {

    public ConsoleProperties {
        refreshSeconds = refreshSeconds <= 0 ? 15 : refreshSeconds;
        stuckAfter = stuckAfter == null ? Duration.ofMinutes(15) : stuckAfter;
        responseLimit = responseLimit == null ? Duration.ofHours(24) : responseLimit;
        events = events == null ? new Events(true, "hub.events", 200, Duration.ofSeconds(1)) : events;
    }

    /** @param enabled false: nothing is published and the feed rows are kept until it is turned on */
    public record Events(boolean enabled, String topic, int batchSize, Duration interval) {
        public Events {
            topic = topic == null || topic.isBlank() ? "hub.events" : topic;
            batchSize = batchSize <= 0 ? 200 : batchSize;
            interval = interval == null ? Duration.ofSeconds(1) : interval;
        }
    }

    @Override
    public String toString() {
        return "ConsoleProperties[adminPassword=***, operatorPassword=***, refreshSeconds=" + refreshSeconds
                + ", stuckAfter=" + stuckAfter + ", responseLimit=" + responseLimit + ", events=" + events + "]";
    }
}
