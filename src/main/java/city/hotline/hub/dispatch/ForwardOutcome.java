package city.hotline.hub.dispatch;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import city.hotline.hub.dedup.ExactDedup;
import city.hotline.hub.store.ForwardOutboxStore;
import city.hotline.hub.store.QuarantineStore;
import city.hotline.hub.ticket.HubProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Decides what a forwarding attempt means for its outbox row: 2xx delivered; 4xx quarantined
 * with the response body (the case system refused the ticket, a retry would too); 5xx, timeouts
 * and connection errors rescheduled with exponential backoff until {@code give-up-after}, then
 * quarantined (replayable) rather than dropped.
 */
@Component("forwardOutcome")
public class ForwardOutcome {

    private static final Logger LOG = LoggerFactory.getLogger(ForwardOutcome.class);

    private final ForwardOutboxStore outbox;
    private final QuarantineStore quarantine;
    private final TransactionTemplate tx;
    private final DeliveredMarks marks;
    private final BackendsProperties backends;
    private final MeterRegistry meters;
    private final Map<String, BackendState> states = new java.util.concurrent.ConcurrentHashMap<>();
    private final org.springframework.core.env.Environment environment;

    public ForwardOutcome(ForwardOutboxStore outbox, QuarantineStore quarantine, TransactionTemplate tx,
                          BackendsProperties backends, MeterRegistry meters, DeliveredMarks marks,
                          org.springframework.core.env.Environment environment) {
        this.environment = environment;
        this.outbox = outbox;
        this.quarantine = quarantine;
        this.tx = tx;
        this.backends = backends;
        this.meters = meters;
        this.marks = marks;
        // registered up front so that dashboards see a 0 rather than no series
        backends.backends().keySet().forEach(this::state);
    }

    /** One back-end's delivery state: its metrics, its circuit breaker and what its health shows. */
    public static final class BackendState {
        final String name;
        final BackendsProperties.Backend config;
        final HubProperties.Retry retry;
        final Timer latency;
        final io.micrometer.core.instrument.Counter redeliveries;
        final io.github.resilience4j.circuitbreaker.CircuitBreaker breaker;
        private volatile String httpUri;
        final String authorization;
        final AtomicInteger consecutiveFailures = new AtomicInteger();
        final AtomicReference<String> lastError = new AtomicReference<>();
        final AtomicReference<Instant> lastSuccess = new AtomicReference<>();

        BackendState(String name, BackendsProperties.Backend config, MeterRegistry meters) {
            this.name = name;
            this.config = config;
            this.retry = config.retry();
            this.latency = Timer.builder("hub.forward.latency").description("from ticket stored to accepted by the back-end")
                    .tag("backend", name).publishPercentileHistogram().register(meters);
            this.redeliveries = io.micrometer.core.instrument.Counter.builder("hub.forward.redeliveries")
                    .description("forwarding attempts that failed and were rescheduled")
                    .tag("backend", name).register(meters);
            BackendsProperties.CircuitBreaker cb = config.circuitBreaker();
            // resilience4j's breaker on the outcomes we already classify: 5xx, timeouts and connection errors
            // count as failures, any answer of the back-end (2xx, a 4xx refusal) as a success
            this.breaker = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("backend-" + name,
                    io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                            .failureRateThreshold(cb.failureRateThreshold())
                            .minimumNumberOfCalls(cb.minimumCalls())
                            .slidingWindowSize(Math.max(cb.minimumCalls(), 10))
                            .waitDurationInOpenState(cb.openFor())
                            .build());
            if (config.bearerToken() != null && !config.bearerToken().isBlank()) {
                this.authorization = "Bearer " + config.bearerToken();
            } else if (config.username() != null && !config.username().isBlank()) {
                this.authorization = "Basic " + java.util.Base64.getEncoder().encodeToString(
                        (config.username() + ":" + (config.password() == null ? "" : config.password())).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else {
                this.authorization = null;
            }
        }

        public String name() {
            return name;
        }

        /**
         * The url with its timeouts, resolved when first used: a url may name a property known only once
         * the hub runs (the demo's {@code ${local.server.port}}).
         */
        String httpUri(org.springframework.core.env.Environment env) {
            String uri = httpUri;
            if (uri == null && config.url() != null) {
                String url = env.resolvePlaceholders(config.url());
                uri = url + (url.contains("?") ? "&" : "?") + "throwExceptionOnFailure=false&connectTimeout="
                        + config.connectTimeoutMillis() + "&responseTimeout=" + config.responseTimeoutMillis();
                if (!url.contains("${")) {
                    httpUri = uri;
                }
            }
            return uri;
        }

        public BackendsProperties.Backend config() {
            return config;
        }

        public int consecutiveFailures() {
            return consecutiveFailures.get();
        }

        public String lastError() {
            return lastError.get();
        }

        public Instant lastSuccess() {
            return lastSuccess.get();
        }

        public String circuit() {
            return breaker.getState().name();
        }
    }

    public BackendState state(String backend) {
        return states.computeIfAbsent(backend, b -> {
            BackendsProperties.Backend config = backends.backends().get(b);
            if (config == null) {
                throw new IllegalStateException("back-end '" + b + "' is not configured (hub.backends." + b + ".*)");
            }
            return new BackendState(b, config, meters);
        });
    }

    public java.util.Collection<BackendState> states() {
        return states.values();
    }

    /** Headers for one outbox row from the SQL consumer's map body; the body becomes the ticket JSON. */
    public void prepare(Exchange exchange) {
        Message msg = exchange.getMessage();
        @SuppressWarnings("unchecked")
        Map<String, Object> row = msg.getBody(Map.class);
        msg.removeHeaders("*");
        String ticketId = (String) row.get("ticket_id");
        MDC.put("ticketId", ticketId);
        exchange.setProperty("hubOutboxId", ((Number) row.get("id")).longValue());
        exchange.setProperty("hubTicketId", ticketId);
        exchange.setProperty("hubAttempts", ((Number) row.get("attempts")).intValue());
        exchange.setProperty("hubQueuedAt", ((Timestamp) row.get("created_at")).toInstant());
        exchange.setProperty("hubPayload", row.get("payload"));
        exchange.setProperty("hubClaimToken", row.get("claim_token"));
        String backend = row.get("backend") == null ? ExactDedup.CASE_SYSTEM : (String) row.get("backend");
        BackendState state = state(backend);
        exchange.setProperty("hubBackend", backend);
        exchange.setProperty("hubHttpUri", state.httpUri(environment));
        exchange.setProperty("hubJmsQueue", state.config.queueName(backend));
        boolean update = ForwardOutboxStore.Kind.UPDATE.name().equals(row.get("kind"));
        int version = ((Number) row.get("version")).intValue();
        exchange.setProperty("hubUpdate", update);
        // a creation is keyed by the ticket id alone (as before updates existed); an update by ticket and version
        msg.setHeader("Idempotency-Key", update ? ticketId + ":" + version : ticketId);
        // JMS: Artemis drops a second message with the same duplicate-detection id (a resend after a crash)
        exchange.setProperty("hubDuplicateId", ticketId + ":" + version);
        // the enum the HTTP producer reads: a String header went through Camel's enum converter lookup
        // for every request (7% of the hub's CPU at full load)
        msg.setHeader(Exchange.HTTP_METHOD, update ? org.apache.camel.component.http.HttpMethods.PUT
                : org.apache.camel.component.http.HttpMethods.POST);
        msg.setHeader(Exchange.HTTP_PATH, update ? "tickets/" + ticketId : "tickets");
        msg.setBody(row.get("payload"));
        if (state.authorization != null) {
            msg.setHeader("Authorization", state.authorization);
        }
        // an open breaker: the back-end is left alone until it may be tried again, the row waits (not an attempt)
        if (!state.breaker.tryAcquirePermission()) {
            outbox.postpone(exchange.getProperty("hubOutboxId", Long.class), (java.util.UUID) row.get("claim_token"),
                    Instant.now().plus(state.config.circuitBreaker().openFor()));
            exchange.setRouteStop(true);
            return;
        }
        exchange.setProperty("hubStartNanos", System.nanoTime());
    }

    private BackendState stateOf(Exchange exchange) {
        return state(exchange.getProperty("hubBackend", ExactDedup.CASE_SYSTEM, String.class));
    }

    private static long elapsed(Exchange exchange) {
        Long start = exchange.getProperty("hubStartNanos", Long.class);
        return start == null ? 0 : System.nanoTime() - start;
    }

    public void onHttpResponse(Exchange exchange) {
        Message msg = exchange.getMessage();
        int code = msg.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = msg.getBody(String.class);
        if (code >= 200 && code < 300) {
            delivered(exchange);
        } else if (code >= 400 && code < 500 && code != 408 && code != 429) {
            refused(exchange, stateOf(exchange).name + " answered " + code + ": " + abbreviate(body));
        } else {
            failedForNow(exchange, stateOf(exchange).name + " answered " + code + ": " + abbreviate(body));
        }
    }

    public void delivered(Exchange exchange) {
        Message msg = exchange.getMessage();
        long id = exchange.getProperty("hubOutboxId", Long.class);
        String ticketId = exchange.getProperty("hubTicketId", String.class);
        java.util.UUID token = exchange.getProperty("hubClaimToken", java.util.UUID.class);
        BackendState state = stateOf(exchange);
        // over HTTP a 2xx is the back-end's acknowledgement; a JMS send only reaches the broker
        boolean acknowledged = "http".equals(state.config.mode()) && !Boolean.TRUE.equals(exchange.getProperty("hubUpdate"));
        if (!marks.record(new DeliveredMarks.Mark(id, token, ticketId, state.name, acknowledged))) {
            throw new city.hotline.hub.store.claim.ClaimLost("forward_outbox", id);
        }
        state.breaker.onSuccess(elapsed(exchange), java.util.concurrent.TimeUnit.NANOSECONDS);
        state.consecutiveFailures.set(0);
        state.lastSuccess.set(Instant.now());
        Instant queuedAt = exchange.getProperty("hubQueuedAt", Instant.class);
        state.latency.record(Duration.between(queuedAt, Instant.now()));
        LOG.info("Ticket {} {} {}", ticketId,
                Boolean.TRUE.equals(exchange.getProperty("hubUpdate")) ? "update delivered to" : "delivered to", state.name);
    }

    /** Connection errors and timeouts arrive here through the route's error handler. */
    public void onException(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (e instanceof city.hotline.hub.store.claim.ClaimLost) {
            stateOf(exchange).breaker.releasePermission();
            LOG.warn("Ticket {}: {}; the claim that holds the row now decides", exchange.getProperty("hubTicketId"), e.getMessage());
            return;
        }
        failedForNow(exchange, e == null ? "unknown error" : e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    void failedForNow(Exchange exchange, String error) {
        Message msg = exchange.getMessage();
        long id = exchange.getProperty("hubOutboxId", Long.class);
        String ticketId = exchange.getProperty("hubTicketId", String.class);
        int attempts = exchange.getProperty("hubAttempts", 0, Integer.class) + 1;
        Instant queuedAt = exchange.getProperty("hubQueuedAt", Instant.class);
        BackendState state = stateOf(exchange);
        HubProperties.Retry retry = state.retry;
        state.breaker.onError(elapsed(exchange), java.util.concurrent.TimeUnit.NANOSECONDS, new RuntimeException(error));
        state.consecutiveFailures.incrementAndGet();
        state.lastError.set(error);
        state.redeliveries.increment();
        if (queuedAt != null && Duration.between(queuedAt, Instant.now()).compareTo(retry.giveUpAfter()) > 0) {
            quarantineRow(exchange, id, ticketId, "gave up after " + attempts + " attempts over " + retry.giveUpAfter() + "; last error: " + error,
                    exchange.getProperty("hubPayload", String.class));
            return;
        }
        Duration delay = retry.delayAfter(attempts);
        outbox.reschedule(id, exchange.getProperty("hubClaimToken", java.util.UUID.class), Instant.now().plus(delay), error);
        LOG.warn("Ticket {} not delivered to {} (attempt {}): {}; next attempt in {}", ticketId, state.name, attempts, error, delay);
    }

    void refused(Exchange exchange, String reason) {
        Message msg = exchange.getMessage();
        quarantineRow(exchange, exchange.getProperty("hubOutboxId", Long.class), exchange.getProperty("hubTicketId", String.class), reason,
                exchange.getProperty("hubPayload", String.class));
        // the back-end answered: it is reachable
        BackendState state = stateOf(exchange);
        state.breaker.onSuccess(elapsed(exchange), java.util.concurrent.TimeUnit.NANOSECONDS);
        state.consecutiveFailures.set(0);
    }

    private void quarantineRow(Exchange exchange, long id, String ticketId, String reason, String payload) {
        java.util.UUID token = exchange.getProperty("hubClaimToken", java.util.UUID.class);
        tx.executeWithoutResult(s -> {
            outbox.markQuarantined(id, token, reason);
            quarantine.add(stateOf(exchange).name, QuarantineStore.Stage.FORWARD, id, ticketId, reason, payload);
        });
        LOG.error("Ticket {} quarantined at forwarding: {}", ticketId, reason);
    }

    /** The case system's figures (CaseSystemHealth). */
    public int consecutiveFailures() {
        return state(ExactDedup.CASE_SYSTEM).consecutiveFailures();
    }

    public String lastError() {
        return state(ExactDedup.CASE_SYSTEM).lastError();
    }

    public Instant lastSuccess() {
        return state(ExactDedup.CASE_SYSTEM).lastSuccess();
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 2000 ? s.substring(0, 2000) + "…" : s;
    }
}
