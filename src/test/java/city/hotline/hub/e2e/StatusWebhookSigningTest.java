package city.hotline.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import city.hotline.hub.relay.StatusSignature;
import city.hotline.hub.support.HubIntegrationTest;
import city.hotline.hub.ticket.Json;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Issue 8, point 4: status reports are signed the Standard Webhooks way, and cannot be replayed. */
class StatusWebhookSigningTest extends HubIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aReportSignedTheStandardWebhooksWayIsApplied() {
        String ticketId = forwardedTicket();
        HttpResponse<String> r = postStatusSigned(ticketId, report(ticketId, "ACCEPTED", Instant.now().minusSeconds(60)),
                "msg_" + UUID.randomUUID(), Instant.now().getEpochSecond());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.read(r.body()).get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(status(ticketId)).isEqualTo("ACCEPTED");
    }

    @Test
    void theOldBodyOnlyXHubSignatureIsNoLongerAccepted() {
        String ticketId = forwardedTicket();
        String body = report(ticketId, "ACCEPTED", Instant.now());
        String old = "sha256=" + java.util.HexFormat.of().formatHex(hmac(STATUS_SECRET, body));
        HttpResponse<String> r = postStatusWithHeaders(ticketId, body, "X-Hub-Signature-256", old);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(Json.read(r.body()).get("error").asText()).contains("webhook-id").contains("X-Hub-Signature-256 is no longer accepted");
        assertThat(status(ticketId)).isEqualTo("FORWARDED");
    }

    @Test
    void aTimestampMoreThanFiveMinutesFromNowIsRefusedWith401() {
        String ticketId = forwardedTicket();
        String body = report(ticketId, "ACCEPTED", Instant.now());
        long now = Instant.now().getEpochSecond();
        for (long ts : new long[] {now - 6 * 60, now + 6 * 60}) {
            HttpResponse<String> r = postStatusSigned(ticketId, body, "msg_" + UUID.randomUUID(), ts);
            assertThat(r.statusCode()).as("timestamp %d, now %d: %s", ts, now, r.body()).isEqualTo(401);
        }
        assertThat(status(ticketId)).isEqualTo("FORWARDED");
        // within the tolerance it is fine
        assertThat(postStatusSigned(ticketId, body, "msg_" + UUID.randomUUID(), now - 4 * 60).statusCode()).isEqualTo(200);
    }

    @Test
    void aRepeatedWebhookIdIsAnswered200AndHasNoEffect() {
        String ticketId = forwardedTicket();
        String id = "msg_" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();
        assertThat(postStatusSigned(ticketId, report(ticketId, "ACCEPTED", Instant.now().minusSeconds(120)), id, now).statusCode()).isEqualTo(200);
        long rows = statusRows(ticketId);

        // the same id again, even with another (validly signed) report: 200, nothing changes
        HttpResponse<String> again = postStatusSigned(ticketId, report(ticketId, "CLOSED", Instant.now()), id, now);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(Json.read(again.body()).get("outcome").asText()).isEqualTo("DUPLICATE");
        assertThat(status(ticketId)).isEqualTo("ACCEPTED");
        assertThat(statusRows(ticketId)).isEqualTo(rows);
        // kept in PostgreSQL, so every instance on the database agrees, with an expiry
        Instant expires = jdbc.queryForObject("SELECT expires_at FROM status_webhook_id WHERE webhook_id = ?", java.sql.Timestamp.class, id).toInstant();
        assertThat(expires).isAfter(Instant.now()).isBefore(Instant.now().plus(Duration.ofMinutes(11)));
    }

    @Test
    void aReportThatFailedDoesNotUseUpItsWebhookId() {
        String ticketId = forwardedTicket();
        String id = "msg_" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();
        assertThat(postStatusSigned("T20990101-0000000000", report("T20990101-0000000000", "ACCEPTED", Instant.now()), id, now)
                .statusCode()).isEqualTo(404);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM status_webhook_id WHERE webhook_id = ?", Long.class, id)).isZero();
        assertThat(postStatusSigned(ticketId, report(ticketId, "ACCEPTED", Instant.now()), id, now).statusCode()).isEqualTo(200);
        assertThat(status(ticketId)).isEqualTo("ACCEPTED");
    }

    @Test
    void theBodysTicketIdMustEqualThePaths() {
        String ticketId = forwardedTicket();
        String other = forwardedTicket();
        // a report signed for another ticket, posted to this ticket's path
        HttpResponse<String> moved = postStatusSigned(ticketId, report(other, "CLOSED", Instant.now()), "msg_" + UUID.randomUUID(),
                Instant.now().getEpochSecond());
        assertThat(moved.statusCode()).isEqualTo(400);
        assertThat(Json.read(moved.body()).get("error").asText()).contains("is not the path's");
        // no ticketId in the body at all
        HttpResponse<String> none = postStatusSigned(ticketId, "{\"status\":\"CLOSED\",\"at\":\"" + Instant.now() + "\"}",
                "msg_" + UUID.randomUUID(), Instant.now().getEpochSecond());
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(Json.read(none.body()).get("error").asText()).contains("ticketId is required");
        assertThat(status(ticketId)).isEqualTo("FORWARDED");
        assertThat(status(other)).isEqualTo("FORWARDED");
    }

    @Test
    void anAtMoreThanFiveMinutesInTheFutureIsRefusedWith400() {
        String ticketId = forwardedTicket();
        HttpResponse<String> r = postStatusSigned(ticketId, report(ticketId, "ACCEPTED", Instant.now().plus(Duration.ofMinutes(6))),
                "msg_" + UUID.randomUUID(), Instant.now().getEpochSecond());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Json.read(r.body()).get("error").asText()).contains("in the future");
        assertThat(status(ticketId)).isEqualTo("FORWARDED");
    }

    private static String report(String ticketId, String status, Instant at) {
        return "{\"ticketId\":\"" + ticketId + "\",\"status\":\"" + status + "\",\"at\":\"" + at + "\"}";
    }

    private static byte[] hmac(String key, String body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String status(String ticketId) {
        return getJson("/api/v1/tickets/" + ticketId).get("status").asText();
    }

    private long statusRows(String ticketId) {
        return jdbc.queryForObject("SELECT count(*) FROM status_update WHERE ticket_id = ?", Long.class, ticketId);
    }

    private String forwardedTicket() {
        String externalId = "sig-" + UUID.randomUUID();
        assertThat(postJson("/api/v1/intake/webform", "{\"externalId\":\"" + externalId + "\",\"content\":\"小区停水三天\"}").statusCode())
                .isEqualTo(202);
        return await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("webform", externalId),
                t -> t != null && "FORWARDED".equals(t.get("status").asText())).get("ticketId").asText();
    }
}
