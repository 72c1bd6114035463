package city.hotline.hub.channel.cti;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Predicate;

import city.hotline.hub.relay.StatusSignature;
import city.hotline.hub.support.HubIntegrationTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Posting the documented vendor payloads (src/test/resources/cti) the way a CTI does. */
abstract class CtiIntegrationSupport extends HubIntegrationTest {

    /** Tencent's own content type, with its "utf8" charset. */
    static final String TENCENT_TYPE = "application/json;charset=utf8";

    @Autowired
    protected JdbcTemplate jdbc;

    static String fixture(String name, String callId) {
        try (InputStream in = CtiIntegrationSupport.class.getResourceAsStream("/cti/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("SESSION_ID", callId).strip();
        } catch (IOException | NullPointerException e) {
            throw new AssertionError("no fixture " + name, e);
        }
    }

    static String newCallId() {
        return UUID.randomUUID().toString();
    }

    /** A signed push to /channels/cti/events{query} with a new webhook id. */
    HttpResponse<String> postEvent(String query, String body) {
        return postSigned("/channels/cti/events" + query, body, "msg_" + UUID.randomUUID(), CTI_SECRET);
    }

    HttpResponse<String> postWorkOrder(String body) {
        return postSigned("/channels/cti/work-orders", body, "msg_" + UUID.randomUUID(), CTI_SECRET);
    }

    HttpResponse<String> postSigned(String path, String body, String webhookId, String secret) {
        long now = Instant.now().getEpochSecond();
        String signature = StatusSignature.sign(secret, webhookId, now, body);
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", TENCENT_TYPE)
                .header("webhook-id", webhookId).header("webhook-timestamp", Long.toString(now)).header("webhook-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    HttpResponse<String> postUnsigned(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", TENCENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    /** Posts one part: W the work order, C the Tencent CDR, R the Tencent recording. */
    void postPart(char part, String callId) {
        HttpResponse<String> r = switch (part) {
            case 'W' -> postWorkOrder(fixture("work-order.json", callId));
            case 'C' -> postEvent("?action=cdr&version=1", fixture("tencent-cdr.json", callId));
            case 'R' -> postEvent("?action=record&version=1", fixture("tencent-record.json", callId));
            default -> throw new IllegalArgumentException(String.valueOf(part));
        };
        if (r.statusCode() >= 300) {
            throw new AssertionError(part + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** Waits until the call's ticket exists and satisfies {@code condition}. */
    JsonNode awaitTicket(String callId, Predicate<JsonNode> condition) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("cti", callId), t -> t != null && condition.test(t));
    }

    long parts(String callId, String kind) {
        return jdbc.queryForObject("SELECT count(*) FROM cti_call_part WHERE call_id = ? AND kind = ?", Long.class, callId, kind);
    }

    String partState(String callId, String kind) {
        return jdbc.queryForObject("SELECT min(state) FROM cti_call_part WHERE call_id = ? AND kind = ?", String.class, callId, kind);
    }
}
