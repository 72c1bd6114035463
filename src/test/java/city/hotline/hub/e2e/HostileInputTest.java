package city.hotline.hub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import city.hotline.hub.support.HubIntegrationTest;
import city.hotline.hub.support.PollingStubs;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Issue 8, points 1 (what intake can detect), 2 (sizes), 7 (callbacks) and 9 (public replies masked). */
class HostileInputTest extends HubIntegrationTest {

    private static final long FIFTY_MB = 50L * 1024 * 1024;

    @Autowired
    JdbcTemplate jdbc;

    // ---- point 1: detected at intake, 400 naming the field

    @Test
    void aControlCharacterOrLoneSurrogateInAnyStringFieldIsRefusedAtIntakeNamingTheField() {
        assertRefused("{\"externalId\":\"" + id() + "\",\"content\":\"ok\",\"requester\":{\"name\":\"Zh\\u0000ang\"}}",
                "/requester/name", "control character (U+0000)");
        assertRefused("{\"externalId\":\"" + id() + "\",\"content\":\"ok\",\"requester\":{\"name\":\"\\ud800x\"}}",
                "/requester/name", "lone surrogate");
        assertRefused("{\"externalId\":\"" + id() + "\",\"content\":\"a\\u0007b\"}", "/content", "control character (U+0007)");
        assertRefused("{\"externalId\":\"" + id() + "\",\"content\":\"ok\",\"ex\\u001btra\":1}", "/ex", "name contains a control character");
        // tab, CR and LF are text
        assertThat(postJson("/api/v1/intake/webform", "{\"externalId\":\"" + id() + "\",\"content\":\"第一行\\r\\n\\t第二行\"}").statusCode())
                .isEqualTo(202);
    }

    @Test
    void nestingDeeperThan32LevelsOrAnArrayOfMoreThan1000ElementsIsRefusedAtIntakeNamingTheField() {
        String deep = "[".repeat(40) + "]".repeat(40);
        assertRefused("{\"externalId\":\"" + id() + "\",\"content\":\"ok\",\"extra\":" + deep + "}", "/extra/0/0", "deeper than 32");
        String big = "[" + "1,".repeat(1000) + "1]";
        assertRefused("{\"externalId\":\"" + id() + "\",\"content\":\"ok\",\"extra\":" + big + "}", "/extra", "1001 elements");
    }

    private void assertRefused(String body, String field, String why) {
        HttpResponse<String> r = postJson("/api/v1/intake/webform", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains(field).contains(why);
    }

    // ---- point 2: sizes

    @Test
    void a50MbBodyWithContentLengthGets413BeforeAnyOfItIsSentAndTheHubStillAnswers() throws Exception {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/intake/webform HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "X-Api-Key: " + API_KEY + "\r\nContent-Length: " + FIFTY_MB + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // not one byte of the body was sent, and the answer is already there: nothing was read or buffered
            String answer = readHead(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413").contains("hub.intake.max-body-bytes");
        }
        assertThat(postJson("/api/v1/intake/webform", "{\"externalId\":\"" + id() + "\",\"content\":\"还在\"}").statusCode()).isEqualTo(202);
    }

    @Test
    void a50MbChunkedBodyGets413AfterTheLimitAndTheHubStopsReadingIt() throws Exception {
        AtomicLong sent = new AtomicLong();
        String answer;
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/intake/webform HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "X-Api-Key: " + API_KEY + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                byte[] chunk = ("10000\r\n" + "a".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                try {
                    while (sent.get() < FIFTY_MB) {
                        out.write(chunk);
                        sent.addAndGet(0x10000);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (Exception closedByTheHub) {
                    // the hub closed the connection: it stopped reading
                }
            });
            answer = readHead(socket.getInputStream());
            writer.get(20, TimeUnit.SECONDS);
        }
        assertThat(answer).startsWith("HTTP/1.1 413");
        assertThat(sent.get()).as("bytes the client could send before the hub stopped reading").isLessThan(FIFTY_MB);
        assertThat(postJson("/api/v1/intake/webform", "{\"externalId\":\"" + id() + "\",\"content\":\"还在\"}").statusCode()).isEqualTo(202);
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            sb.append((char) c);
            if (sb.length() > 4 && sb.indexOf("\r\n\r\n") >= 0 && sb.indexOf("}") >= 0 || sb.length() > 4000) {
                break;
            }
        }
        return sb.toString();
    }

    // ---- point 7: callbacks

    @Test
    void aCallbackToAHostNotListedOrAPrivateAddressIsRefusedAtIntakeNamingTheRule() {
        // the tests list localhost (WireMock); anything else is refused with the setting named
        HttpResponse<String> r = postJson("/api/v1/intake/webform", "{\"externalId\":\"" + id() + "\",\"content\":\"ok\","
                + "\"callbackUrl\":\"http://169.254.169.254/latest/meta-data\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("169.254.169.254 is not in hub.channels.webform.callback-hosts");
    }

    @Test
    void aCallbackAnsweringWithARedirectIsNotFollowed() {
        String externalId = id();
        CALLBACKS.stubFor(post(urlEqualTo("/cb/" + externalId)).willReturn(aResponse().withStatus(302)
                .withHeader("Location", CALLBACKS.baseUrl() + "/cb/redirected-" + externalId)));
        CALLBACKS.stubFor(post(urlEqualTo("/cb/redirected-" + externalId)).willReturn(aResponse().withStatus(200)));
        String ticketId = forwarded(externalId, "{\"externalId\":\"" + externalId + "\",\"content\":\"ok\",\"callbackUrl\":\"" + callbackUrl(externalId) + "\"}");

        postStatus(ticketId, "{\"status\":\"ACCEPTED\",\"at\":\"2026-11-28T10:00:00+08:00\"}");

        await().atMost(Duration.ofSeconds(20)).until(() -> !CALLBACKS.findAll(postRequestedFor(urlEqualTo("/cb/" + externalId))).isEmpty());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> CALLBACKS.findAll(postRequestedFor(urlEqualTo("/cb/redirected-" + externalId))).isEmpty());
    }

    // ---- point 9: public replies masked, private ones in full

    @Test
    void publicRepliesOnBoardAndWeiboAreMaskedWhileTheCallbackGetsTheFullText() {
        String externalId = id();
        String ticketId = forwarded(externalId, "{\"externalId\":\"" + externalId + "\",\"content\":\"路灯不亮\","
                + "\"requester\":{\"name\":\"张三丰\"},\"callbackUrl\":\"" + callbackUrl(externalId) + "\"}");
        String tid = String.valueOf(800_000_000L + (System.nanoTime() % 100_000_000L));
        String weiboId = String.valueOf(4_900_000_000_000_000L + (System.nanoTime() % 1_000_000_000L));
        jdbc.update("INSERT INTO ticket_origin (ticket_id, channel, channel_item_id, reply_target, received_at) VALUES (?, 'board', ?, ?::jsonb, now())",
                ticketId, tid, "{\"tid\":\"" + tid + "\",\"fid\":\"9001\"}");
        jdbc.update("INSERT INTO ticket_origin (ticket_id, channel, channel_item_id, reply_target, received_at) VALUES (?, 'weibo', ?, ?::jsonb, now())",
                ticketId, weiboId, "{\"id\":\"" + weiboId + "\"}");
        String reply = "张三丰您好，路灯已修复。经办人电话13812345678，身份证430102199001011234。A2区城管局";

        postStatus(ticketId, "{\"status\":\"REPLIED\",\"reply\":" + Json.write(reply) + ",\"handlingUnit\":\"A2区城管局\",\"at\":\"2026-11-28T10:00:00+08:00\"}");

        await().atMost(Duration.ofSeconds(20)).until(() -> !CALLBACKS.findAll(postRequestedFor(urlEqualTo("/cb/" + externalId))).isEmpty());
        JsonNode callback = Json.read(CALLBACKS.findAll(postRequestedFor(urlEqualTo("/cb/" + externalId))).get(0).getBodyAsString());
        assertThat(callback.get("reply").asText()).isEqualTo(reply);
        String board = await().atMost(Duration.ofSeconds(20)).until(() -> PollingStubs.BOARD.findAll(postRequestedFor(urlPathEqualTo("/board/reply")))
                .stream().map(r -> r.getBodyAsString()).filter(b -> b.contains("tid=" + tid)).findFirst().orElse(null), b -> b != null);
        String boardText = java.net.URLDecoder.decode(board, StandardCharsets.UTF_8);
        assertThat(boardText).doesNotContain("13812345678", "430102199001011234", "张三丰")
                .contains("138****5678", "430102********1234", "张**您好", "A2区城管局");
        String weibo = await().atMost(Duration.ofSeconds(20)).until(() -> PollingStubs.WEIBO.findAll(postRequestedFor(urlPathEqualTo("/2/comments/create.json")))
                .stream().map(r -> r.getBodyAsString()).filter(b -> b.contains("id=" + weiboId)).findFirst().orElse(null), b -> b != null);
        String weiboText = java.net.URLDecoder.decode(weibo, StandardCharsets.UTF_8);
        assertThat(weiboText).doesNotContain("13812345678", "张三丰").contains("138****5678", "张**");
    }

    private String forwarded(String externalId, String body) {
        HttpResponse<String> r = postJson("/api/v1/intake/webform", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return await().atMost(Duration.ofSeconds(20)).until(() -> ticketFor("webform", externalId),
                t -> t != null && "FORWARDED".equals(t.get("status").asText())).get("ticketId").asText();
    }

    private static String id() {
        return "hostile-" + UUID.randomUUID();
    }
}
