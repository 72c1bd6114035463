package city.hotline.hub.dispatch;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import city.hotline.hub.ticket.HubProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The back-ends, {@code hub.backends.<name>.*}, and {@code hub.dispatch.*} (docs/routing.md). The
 * case system keeps its keys ({@code hub.backends.case-system.*}); any other name is another back-end
 * with its own outbox lane, retries, circuit breaker and health.
 */
@ConfigurationProperties("hub")
public record BackendsProperties(Map<String, Backend> backends, Dispatch dispatch) {

    public BackendsProperties {
        backends = backends == null ? Map.of() : new LinkedHashMap<>(backends);
        dispatch = dispatch == null ? new Dispatch(null, null, null) : dispatch;
    }

    /**
     * One back-end.
     *
     * @param mode        http (POST {url}/tickets, PUT {url}/tickets/{id}) or jms (persistent queue {@code queue})
     * @param queue       JMS queue; default hub.&lt;name&gt;.tickets
     * @param username    HTTP basic credentials (with password), or
     * @param bearerToken an HTTP bearer token; secrets, never logged
     * @param statusSecret the back-end's own Standard Webhooks secret for its status reports: a report signed
     *                     with it comes from this back-end (relay/StatusSignature). Without one, a back-end signs
     *                     with the case system's secret and names itself in the body ({@code "backend"}).
     */
    public record Backend(String url, String mode, Integer concurrency, Long connectTimeoutMillis, Long responseTimeoutMillis,
                          String queue, String username, String password, String bearerToken, String statusSecret,
                          HubProperties.Retry retry, CircuitBreaker circuitBreaker) {

        public Backend {
            mode = mode == null || mode.isBlank() ? "http" : mode.trim();
            concurrency = concurrency == null ? 8 : concurrency;
            connectTimeoutMillis = connectTimeoutMillis == null ? 5000L : connectTimeoutMillis;
            responseTimeoutMillis = responseTimeoutMillis == null ? 30000L : responseTimeoutMillis;
            retry = retry == null ? new HubProperties.Retry(Duration.ofSeconds(2), 2.0, Duration.ofMinutes(30), Duration.ofHours(24), null)
                    : new HubProperties.Retry(retry.initialDelay() == null ? Duration.ofSeconds(2) : retry.initialDelay(),
                    retry.multiplier() <= 0 ? 2.0 : retry.multiplier(),
                    retry.maxDelay() == null ? Duration.ofMinutes(30) : retry.maxDelay(),
                    retry.giveUpAfter() == null ? Duration.ofHours(24) : retry.giveUpAfter(), retry.maxAttempts());
            circuitBreaker = circuitBreaker == null ? new CircuitBreaker(null, null, null) : circuitBreaker;
        }

        public String queueName(String name) {
            return queue == null || queue.isBlank() ? "hub." + name + ".tickets" : queue;
        }

        public boolean hasOwnStatusSecret() {
            return statusSecret != null && !statusSecret.isBlank();
        }

        @Override
        public String toString() {
            return "Backend[url=" + url + ", mode=" + mode + ", concurrency=" + concurrency + "]";
        }
    }

    /**
     * @param failureRateThreshold percentage of failed calls (of the last {@code minimumCalls}) that opens it
     * @param openFor              how long an open breaker refuses calls before trying again
     */
    public record CircuitBreaker(Float failureRateThreshold, Integer minimumCalls, Duration openFor) {
        public CircuitBreaker {
            failureRateThreshold = failureRateThreshold == null ? 50f : failureRateThreshold;
            minimumCalls = minimumCalls == null ? 10 : minimumCalls;
            openFor = openFor == null ? Duration.ofSeconds(30) : openFor;
        }
    }

    /**
     * @param rules              the dispatch rules file
     * @param rulesCheckInterval how often a file: rules location is checked for changes
     * @param ackWithin          a dispatched ticket not acknowledged by its back-end within this is stuck
     */
    public record Dispatch(String rules, Duration rulesCheckInterval, Duration ackWithin) {
        public Dispatch {
            rules = rules == null || rules.isBlank() ? "classpath:mappings/dispatch-rules.yaml" : rules;
            rulesCheckInterval = rulesCheckInterval == null ? Duration.ofSeconds(10) : rulesCheckInterval;
            ackWithin = ackWithin == null ? Duration.ofMinutes(5) : ackWithin;
        }
    }
}
