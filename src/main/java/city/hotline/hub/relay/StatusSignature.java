package city.hotline.hub.relay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import city.hotline.hub.ticket.HttpProblem;
import city.hotline.hub.ticket.HubProperties;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Verifies status reports from the case system the Standard Webhooks way (docs/status-webhook.md):
 * headers {@code webhook-id}, {@code webhook-timestamp} (Unix seconds) and
 * {@code webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">}, over the exact bytes
 * received, in constant time, with a 5-minute tolerance on the timestamp. The checking is the
 * Standard Webhooks reference library's ({@code com.standardwebhooks:standardwebhooks}).
 * <p>
 * The key: a {@code whsec_}-prefixed secret is base64-decoded, as Standard Webhooks libraries do;
 * any other value is used as its UTF-8 bytes (the library would try to base64-decode it).
 * The old body-only {@code X-Hub-Signature-256} is not accepted: it did not cover the ticket or a
 * time, so a captured report could be replayed against any ticket, at any time.
 */
@Component("statusSignature")
public class StatusSignature {

    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";
    /** Exchange header the verified webhook id is handed on in (StatusApplier records it). */
    public static final String VERIFIED_ID = "hubWebhookId";
    /** Standard Webhooks' tolerance, fixed in the library: a timestamp further from now is refused. */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    /** Exchange header naming the back-end whose own status secret verified the report (routing, issue 12). */
    public static final String VERIFIED_BACKEND = "hubVerifiedBackend";

    private final Webhook webhook;
    /** Back-ends with their own status secret (hub.backends.<name>.status-secret), tried after the case system's. */
    private final Map<String, Webhook> backends = new LinkedHashMap<>();

    public StatusSignature(HubProperties props, city.hotline.hub.dispatch.BackendsProperties backendProps) {
        this.webhook = webhook(props.backends().caseSystem().statusSecret());
        backendProps.backends().forEach((name, b) -> {
            if (!city.hotline.hub.dispatch.TicketUpdates.CASE_SYSTEM.equals(name) && b.hasOwnStatusSecret()) {
                backends.put(name, webhook(b.statusSecret()));
            }
        });
    }

    /** The verifier for a configured secret ({@code whsec_<base64>}, or any text used as UTF-8 bytes). */
    public static Webhook webhook(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalStateException("hub.backends.case-system.status-secret is empty");
        }
        if (secret.startsWith("whsec_")) {
            try {
                return new Webhook(secret);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("hub.backends.case-system.status-secret starts with whsec_ but the rest is not base64");
            }
        }
        return new Webhook(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code webhook-signature} value for a message: what the case system sends. */
    public static String sign(String secret, String webhookId, long timestampSeconds, String body) {
        try {
            return webhook(secret).sign(webhookId, timestampSeconds, body);
        } catch (WebhookSigningException e) {
            throw new IllegalStateException(e);
        }
    }

    public void verify(Exchange exchange) {
        // JsonBodyFilter has checked the bytes are strict UTF-8, so decoding and re-encoding is lossless
        String text = exchange.getMessage().getBody(String.class);
        String body = text == null ? "" : text;
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : List.of(ID, TIMESTAMP, SIGNATURE)) {
            String value = exchange.getMessage().getHeader(name, String.class);
            if (value == null || value.isBlank()) {
                throw new HttpProblem(401, "missing " + name + " header (status reports are signed the Standard Webhooks way;"
                        + " X-Hub-Signature-256 is no longer accepted)");
            }
            headers.put(name, List.of(value.trim()));
        }
        exchange.getMessage().removeHeader(VERIFIED_BACKEND);
        try {
            webhook.verify(body, headers);
        } catch (WebhookVerificationException e) {
            String backend = verifiedByBackend(body, headers);
            if (backend == null) {
                throw new HttpProblem(401, "webhook signature refused: " + e.getMessage());
            }
            exchange.getMessage().setHeader(VERIFIED_BACKEND, backend);
        }
        exchange.getMessage().setHeader(VERIFIED_ID, headers.get(ID).get(0));
        exchange.getMessage().setBody(body);
    }

    /** The back-end whose own secret verifies the report, or null. */
    private String verifiedByBackend(String body, Map<String, List<String>> headers) {
        for (Map.Entry<String, Webhook> b : backends.entrySet()) {
            try {
                b.getValue().verify(body, headers);
                return b.getKey();
            } catch (WebhookVerificationException notThisOne) {
                // the next back-end's secret
            }
        }
        return null;
    }
}
