package city.hotline.hub.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import city.hotline.hub.ticket.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The stand-in case system's way back: ACCEPTED, IN_PROGRESS, then REPLIED with the official reply,
 * each {@code hub.demo.status-delay} after the previous one was taken, posted to
 * {@code POST /api/v1/tickets/{ticketId}/status} with the ticket id in the body too, and signed the
 * way docs/status-webhook.md asks a case system to sign (Standard Webhooks: {@code webhook-id},
 * {@code webhook-timestamp}, {@code webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">}).
 * The HMAC is computed here by hand rather than with the hub's own verifier or its library, so the
 * demo exercises the documented contract.
 */
@Component
@Profile("demo")
public class DemoStatusReporter {

    private static final Logger LOG = LoggerFactory.getLogger(DemoStatusReporter.class);
    private static final List<String> SEQUENCE = List.of("ACCEPTED", "IN_PROGRESS", "REPLIED");
    private static final String GENERIC_REPLY = "您好，您反映的问题已转交相关部门核实处理，感谢您对我们工作的支持。（演示答复）";
    private static final int MAX_ATTEMPTS = 3;

    private final DemoScheduler scheduler;
    private final DemoHubAddress hub;
    private final DemoProperties props;
    private final byte[] secret;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public DemoStatusReporter(DemoScheduler scheduler, DemoHubAddress hub, DemoProperties props,
                              @Value("${hub.backends.case-system.status-secret}") String secret) {
        this.scheduler = scheduler;
        this.hub = hub;
        this.props = props;
        // Standard Webhooks: a whsec_ secret is base64 after the prefix; any other is its UTF-8 bytes
        this.secret = secret.startsWith("whsec_") ? Base64.getDecoder().decode(secret.substring("whsec_".length()))
                : secret.getBytes(StandardCharsets.UTF_8);
    }

    /** Starts the status sequence for a newly received ticket; {@code reply} null gives a generic reply. */
    public void reportLater(String ticketId, String reply) {
        next(ticketId, reply == null || reply.isBlank() ? GENERIC_REPLY : reply, 0, 1);
    }

    private void next(String ticketId, String reply, int step, int attempt) {
        scheduler.after(props.statusDelay(), () -> send(ticketId, reply, step, attempt));
    }

    private void send(String ticketId, String reply, int step, int attempt) {
        String status = SEQUENCE.get(step);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("ticketId", ticketId);
        report.put("status", status);
        if ("REPLIED".equals(status)) {
            report.put("reply", reply);
        }
        report.put("handlingUnit", props.handlingUnit());
        report.put("at", Instant.now().toString());
        String body = Json.write(report);
        // one id per report, kept by its retries (Standard Webhooks): a retry of a report the hub took is a no-op
        String webhookId = "msg_" + ticketId + "_" + status;
        long timestamp = Instant.now().getEpochSecond();
        MDC.put("ticketId", ticketId);
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(hub.url("/api/v1/tickets/" + ticketId + "/status")))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("webhook-id", webhookId)
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", "v1," + Base64.getEncoder().encodeToString(
                            hmac((webhookId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8))))
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() / 100 != 2) {
                throw new IllegalStateException("hub answered " + answer.statusCode() + ": " + answer.body());
            }
            LOG.info("Stand-in case system -> hub: ticket {} is {}{} (hub answered {})", ticketId, status,
                    "REPLIED".equals(status) ? ", reply: " + DemoText.abbreviate(reply) : "", answer.statusCode());
            if (step + 1 < SEQUENCE.size()) {
                next(ticketId, reply, step + 1, 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (attempt < MAX_ATTEMPTS) {
                LOG.warn("Stand-in case system could not report {} for ticket {} (attempt {}): {}; trying again", status, ticketId, attempt, e.toString());
                next(ticketId, reply, step, attempt + 1);
            } else {
                LOG.error("Stand-in case system gave up reporting {} for ticket {} after {} attempts: {}", status, ticketId, attempt, e.toString());
            }
        } finally {
            MDC.remove("ticketId");
        }
    }

    private byte[] hmac(byte[] body) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return mac.doFinal(body);
    }
}
