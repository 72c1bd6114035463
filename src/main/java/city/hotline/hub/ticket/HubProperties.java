package city.hotline.hub.ticket;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Everything under {@code hub.*}; defaults live in application.yml. */
@ConfigurationProperties("hub")
public record HubProperties(String dataDir, String mappingsLocation, Api api, Intake intake, Backends backends, Relay relay) {

    public record Api(List<String> keys) {
    }

    public record Intake(int maxContentChars, Map<String, IntakeChannel> channels) {
    }

    /**
     * An intake channel's mapping configuration. {@code genericHttp} channels are also open on
     * {@code POST /api/v1/intake/{channel}} (native schema and item-id field then apply); channels
     * with their own connector (push callbacks, pollers) store items themselves and only use the mapping.
     */
    public record IntakeChannel(String schema, String mapping, String itemIdField, boolean genericHttp) {
    }

    public record Backends(CaseSystem caseSystem) {
    }

    public record CaseSystem(String url, String mode, String statusSecret, Retry retry) {
    }

    public record Retry(Duration initialDelay, double multiplier, Duration maxDelay, Duration giveUpAfter, Integer maxAttempts) {
        /** Exponential backoff: the delay before attempt number {@code attemptsSoFar + 1}. */
        public Duration delayAfter(int attemptsSoFar) {
            double millis = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, attemptsSoFar - 1));
            return millis >= maxDelay.toMillis() ? maxDelay : Duration.ofMillis((long) millis);
        }
    }

    public record Relay(Retry retry) {
    }
}
