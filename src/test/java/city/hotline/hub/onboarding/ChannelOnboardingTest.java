package city.hotline.hub.onboarding;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import city.hotline.hub.relay.StatusSignature;
import city.hotline.hub.support.CaseSystemStub;
import city.hotline.hub.support.HubIntegrationTest;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: a channel added with three files, into a running hub, exactly as docs/channel-onboarding.md
 * says (copy docs/channel-onboarding/app12345/{connectors,mappings,routes} into hub.channels.dir).
 */
class ChannelOnboardingTest extends HubIntegrationTest {

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    static final Path GUIDE = Path.of("docs", "channel-onboarding", "app12345");
    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void theGuidesChannelCopiedIntoTheWatchedDirectoryTakesAReportToTheCaseSystemAndCarriesTheReplyBack() throws Exception {
        installGuideChannel();

        String orderNo = "APP" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
        HttpResponse<String> posted = postReport(sample(orderNo));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);

        JsonNode ticket = await().atMost(WAIT).until(() -> ticketFor("app12345", orderNo), t -> t != null);
        String ticketId = ticket.get("ticketId").asText();
        List<LoggedRequest> sent = await().atMost(WAIT).until(() -> CaseSystemStub.ticketsReceived(CASE_SYSTEM, ticketId), l -> !l.isEmpty());
        JsonNode forwarded = Json.read(sent.get(0).getBodyAsString());
        assertThat(forwarded.get("requestType").asText()).isEqualTo("COMPLAINT");
        assertThat(forwarded.get("requester").get("phone").asText()).isEqualTo("+8613912345678");
        assertThat(forwarded.get("origins").get(0).get("receivedAt").asText()).isEqualTo("2026-11-30T01:12:44Z");
        assertThat(forwarded.get("location").get("district").asText()).isEqualTo("朝阳区");

        CALLBACKS.stubFor(post(urlPathEqualTo("/app12345/replies")).willReturn(aResponse().withStatus(200)));
        assertThat(postStatus(ticketId, "{\"status\":\"REPLIED\",\"at\":\"" + Instant.now() + "\",\"reply\":\"已协调城管部门，工地夜间停止施工。\"}")
                .statusCode()).isEqualTo(200);

        List<LoggedRequest> replies = await().atMost(WAIT).until(() -> CALLBACKS.findAll(postRequestedFor(urlEqualTo("/app12345/replies"))
                .withRequestBody(matchingJsonPath("$.orderNo", com.github.tomakehurst.wiremock.client.WireMock.equalTo(orderNo)))), l -> !l.isEmpty());
        JsonNode reply = Json.read(replies.get(0).getBodyAsString());
        assertThat(reply.get("ticketId").asText()).isEqualTo(ticketId);
        assertThat(reply.get("state").asText()).isEqualTo("已答复");
        assertThat(reply.get("replyContent").asText()).isEqualTo("已协调城管部门，工地夜间停止施工。");
        await().atMost(WAIT).until(() -> getJson("/api/v1/tickets/" + ticketId + "/deliveries").get("items").toString().contains("SENT"));
    }

    @Test
    void aBrokenMappingDroppedIntoTheDirectoryIsRefusedWithItsLineAndThePreviousVersionKeepsWorking() throws Exception {
        installGuideChannel();
        Path mapping = Path.of(CHANNELS_DIR, "mappings", "app12345.jsonata");
        String good = Files.readString(mapping);
        try {
            // line 3 loses its closing brace
            Files.writeString(mapping, "(\n  $x := 1;\n  { \"origins\": [ $x ]\n)\n");
            JsonNode refusal = await().atMost(WAIT).until(() -> fileChannel("app12345").get("refused"), r -> r != null);
            assertThat(refusal.get("file").asText()).isEqualTo("mappings/app12345.jsonata");
            assertThat(refusal.get("line").asInt()).isEqualTo(4);
            assertThat(refusal.get("problem").asText()).isNotBlank();
            assertThat(fileChannel("app12345").get("running").asBoolean()).as("the previous version stays up").isTrue();

            String orderNo = "APPBROKEN" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
            assertThat(postReport(sample(orderNo)).statusCode()).isEqualTo(202);
            JsonNode ticket = await().atMost(WAIT).until(() -> ticketFor("app12345", orderNo), t -> t != null);
            assertThat(ticket.get("title").asText()).as("mapped by the previous, accepted mapping").isEqualTo("小区夜间施工噪音扰民");
        } finally {
            Files.writeString(mapping, good);
            await().atMost(WAIT).until(() -> !fileChannel("app12345").has("refused"));
        }
    }

    @Test
    void aChangedMappingReloadsTheChannelWithoutARestart() throws Exception {
        installGuideChannel();
        Path mapping = Path.of(CHANNELS_DIR, "mappings", "app12345.jsonata");
        String good = Files.readString(mapping);
        String since = fileChannel("app12345").get("since").asText();
        try {
            Files.writeString(mapping, good.replace("\"title\": $n.title", "\"title\": \"【APP】\" & $n.title"));
            await().atMost(WAIT).until(() -> {
                JsonNode c = fileChannel("app12345");
                return c.get("running").asBoolean() && !c.has("refused") && !c.get("since").asText().equals(since);
            });
            String orderNo = "APPRELOAD" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
            await().atMost(WAIT).until(() -> {
                // the new version may still be starting its webhook
                return postReport(sample(orderNo)).statusCode() == 202;
            });
            JsonNode ticket = await().atMost(WAIT).until(() -> ticketFor("app12345", orderNo), t -> t != null);
            assertThat(ticket.get("title").asText()).isEqualTo("【APP】小区夜间施工噪音扰民");
        } finally {
            Files.writeString(mapping, good);
            await().atMost(WAIT).until(() -> {
                JsonNode c = fileChannel("app12345");
                return c != null && c.get("running").asBoolean() && !c.has("refused");
            });
        }
    }

    @Test
    void aReportThatMapsToNoValidTicketIsQuarantinedWithTheReason() throws Exception {
        installGuideChannel();
        String orderNo = "APPBAD" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        ObjectNode bad = sample(orderNo);
        bad.remove("content");
        assertThat(postReport(bad).statusCode()).isEqualTo(202);
        JsonNode item = await().atMost(WAIT).until(() -> quarantined("app12345", orderNo), i -> i != null);
        assertThat(item.get("reason").asText()).contains("content");
    }

    @Test
    void aReportWithABadSignatureIsRefusedAndNothingIsStored() throws Exception {
        installGuideChannel();
        String body = Json.write(sample("APPFORGED1"));
        long now = Instant.now().getEpochSecond();
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url("/channels/app12345/reports")))
                .header("Content-Type", "application/json; charset=UTF-8")
                .header("webhook-id", "msg_forged").header("webhook-timestamp", Long.toString(now))
                .header("webhook-signature", StatusSignature.sign("some-other-secret-value", "msg_forged", now, body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(ticketFor("app12345", "APPFORGED1")).isNull();
    }

    @Test
    void aDryRunAnswersTheTicketAndTheReplyAndStoresNothing() throws Exception {
        installGuideChannel();
        String orderNo = "APPDRY" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        JsonNode result = Json.read(postJson("/api/v1/channels/app12345/dry-run?status=REPLIED&reply=" + java.net.URLEncoder.encode("已处理", StandardCharsets.UTF_8),
                Json.write(sample(orderNo))).body());
        assertThat(result.get("valid").asBoolean()).as(result.toString()).isTrue();
        assertThat(result.get("ticket").get("origins").get(0).get("channelItemId").asText()).isEqualTo(orderNo);
        assertThat(result.get("reply").get("state").asText()).isEqualTo("已答复");
        assertThat(result.get("reply").get("replyContent").asText()).isEqualTo("已处理");
        assertThat(ticketFor("app12345", orderNo)).as("nothing stored").isNull();

        ObjectNode bad = sample(orderNo);
        ((ObjectNode) bad.get("user")).put("mobile", "12");
        bad.remove("content");
        JsonNode refused = Json.read(postJson("/api/v1/channels/app12345/dry-run", Json.write(bad)).body());
        assertThat(refused.get("valid").asBoolean()).isFalse();
        assertThat(refused.get("errors").toString()).contains("/content").contains("/requester/phone");
    }

    @Test
    void aDryRunOfEveryBuiltInChannelsSamplesReturnsValidTickets() throws Exception {
        for (String channel : List.of("webform", "weixin", "board", "weibo", "mail")) {
            try (Stream<Path> samples = Files.list(Path.of("src/test/resources/channels", channel))) {
                List<Path> files = samples.filter(p -> p.toString().endsWith(".json")).sorted().toList();
                assertThat(files).as(channel + " has samples").isNotEmpty();
                for (Path sample : files) {
                    String query = "mail".equals(channel) ? "?status=REPLIED" : "";
                    HttpResponse<String> r = postJson("/api/v1/channels/" + channel + "/dry-run" + query, Files.readString(sample));
                    assertThat(r.statusCode()).as(sample + ": " + r.body()).isEqualTo(200);
                    JsonNode result = Json.read(r.body());
                    assertThat(result.get("valid").asBoolean()).as(sample + ": " + r.body()).isTrue();
                    assertThat(result.get("ticket").get("origins").get(0).get("channel").asText()).isEqualTo(channel);
                    if ("mail".equals(channel)) {
                        assertThat(result.get("reply").get("subject").asText()).contains(result.get("ticket").get("ticketId").asText());
                    }
                }
            }
        }
        HttpResponse<String> viewer = send(HttpRequest.newBuilder(URI.create(url("/api/v1/channels/webform/dry-run")))
                .header("Content-Type", "application/json").header("X-Api-Key", VIEWER_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(viewer.statusCode()).as("dry runs are for admin clients").isEqualTo(403);
    }

    // --- what the guide says, step by step ---

    /** Copies the guide's three files into hub.channels.dir and waits until the hub runs the channel. */
    static void copyGuideChannel() {
        try (Stream<Path> files = Files.walk(GUIDE)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path target = Path.of(CHANNELS_DIR).resolve(GUIDE.relativize(f).toString());
                Files.createDirectories(target.getParent());
                if (!Files.exists(target) || !Files.readString(target).equals(Files.readString(f))) {
                    Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void installGuideChannel() {
        copyGuideChannel();
        // each copied file may reload the channel: wait until one load has stayed up for a second, so a
        // request is not sent into the next reload (seen once: a 500 from a route being restarted)
        String[] since = {null};
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).during(Duration.ofSeconds(1)).until(() -> {
            JsonNode c = fileChannel("app12345");
            String now = c != null && c.get("running").asBoolean() && !c.has("refused") ? c.get("since").asText() : null;
            boolean stable = now != null && now.equals(since[0]);
            since[0] = now;
            return stable;
        });
    }

    JsonNode fileChannel(String name) {
        for (JsonNode c : getJson("/api/v1/channels").get("files")) {
            if (name.equals(c.get("channel").asText())) {
                return c;
            }
        }
        return null;
    }

    JsonNode quarantined(String channel, String marker) {
        List<java.util.Map<String, Object>> rows = jdbc.queryForList(
                "SELECT id, stage, reason FROM quarantine WHERE channel = ? AND payload LIKE ?", channel, "%" + marker + "%");
        return rows.isEmpty() ? null : Json.MAPPER.valueToTree(rows.get(0));
    }

    static ObjectNode sample(String orderNo) throws IOException {
        ObjectNode s = Json.readObject(Files.readString(Path.of("src/test/resources/channels/app12345/noise-complaint.json")));
        s.put("orderNo", orderNo);
        return s;
    }

    HttpResponse<String> postReport(JsonNode report) {
        String body = Json.write(report);
        String id = "msg_" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();
        return send(HttpRequest.newBuilder(URI.create(url("/channels/app12345/reports")))
                .header("Content-Type", "application/json; charset=UTF-8")
                .header("webhook-id", id).header("webhook-timestamp", Long.toString(now))
                .header("webhook-signature", StatusSignature.sign(APP12345_SECRET, id, now, body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }
}
