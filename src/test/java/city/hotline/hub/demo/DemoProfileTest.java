package city.hotline.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import city.hotline.hub.HotlineHubApplication;
import city.hotline.hub.support.TestDataDirs;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 2, criterion 12: {@code --spring.profiles.active=demo} with nothing else running. The
 * feeder's board posts enter through the web form intake, reach the built-in stand-in case system,
 * its signed status reports come back, and the citizen's callback receives the official reply.
 * Its own Spring context (the demo profile), on its own data directory.
 */
@SpringBootTest(classes = HotlineHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("demo")
class DemoProfileTest {

    private static final String API_KEY = "demo-test-key";
    private static final String DATA_DIR = TestDataDirs.fresh("demo");
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void demoProperties(DynamicPropertyRegistry registry) {
        registry.add("hub.data-dir", () -> DATA_DIR);
        registry.add("hub.embedded-postgres.durable", () -> "false");
        // the feeder must use the configured key, not the local default
        registry.add("hub.api.keys", () -> API_KEY);
        // server.port is 0 here: the stand-in's address is the port the server really got
        registry.add("hub.backends.case-system.url", () -> "http://localhost:${local.server.port}/demo/case-system");
        registry.add("hub.demo.status-delay", () -> "300ms");
        registry.add("hub.demo.feeder.initial-delay", () -> "200ms");
        registry.add("hub.demo.feeder.interval", () -> "100ms");
        registry.add("hub.outbox.poll-delay", () -> "200ms");
    }

    @LocalServerPort
    int port;

    @Autowired
    DemoBoardPosts posts;

    @Autowired
    DemoCaseSystem caseSystem;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theFeedersBoardPostsFlowToTheStandInCaseSystemAndTheirRepliesBackToTheCitizen() {
        List<DemoBoardPosts.Post> fed = posts.all();
        assertThat(fed).hasSizeBetween(6, 8);

        // every post became a web form ticket, carried by the hub's real intake
        List<JsonNode> tickets = await().atMost(PATIENCE).until(this::demoTickets, t -> t.size() == fed.size());
        List<String> ticketIds = tickets.stream().map(t -> t.get("ticketId").asText()).toList();

        // each reached the stand-in case system, and its statuses came back through the signed status API
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(caseSystem.receivedTicketIds()).containsAll(ticketIds);
            for (String id : ticketIds) {
                assertThat(get("/api/v1/tickets/" + id).get("status").asText()).as("status of " + id).isEqualTo("REPLIED");
            }
        });
        JsonNode history = get("/api/v1/tickets/" + ticketIds.get(0) + "/history").get("items");
        assertThat(history.toString()).contains("ACCEPTED", "IN_PROGRESS", "REPLIED");

        // the citizen's callback got the REPLIED status with the city's official reply to that very post
        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode callbacks = getDemo("/demo/callbacks").get("items");
            for (JsonNode ticket : tickets) {
                String externalId = ticket.at("/origins/0/channelItemId").asText();
                DemoBoardPosts.Post post = posts.byExternalId(externalId).orElseThrow();
                JsonNode replied = StreamSupport.stream(callbacks.spliterator(), false)
                        .map(c -> c.get("callback"))
                        .filter(c -> c.get("externalId").asText().equals(externalId) && "REPLIED".equals(c.get("status").asText()))
                        .findFirst().orElse(null);
                assertThat(replied).as("REPLIED callback for " + externalId).isNotNull();
                assertThat(replied.get("ticketId").asText()).isEqualTo(ticket.get("ticketId").asText());
                assertThat(replied.get("reply").asText()).isEqualTo(post.reply());
            }
        });
    }

    @Test
    void theRepliesAreTheOnesFromTheBoardFixture() {
        // 留言编号 2557 of ../shared/fixtures/boards/messages-with-replies.csv: the columns are read by name
        DemoBoardPosts.Post post = posts.all().stream().filter(p -> p.id().equals("2557")).findFirst().orElseThrow();
        assertThat(post.subject()).isEqualTo("在A市买公寓能享受人才新政购房补贴吗？");
        assertThat(post.time()).isEqualTo("2019/4/24 15:07:30");
        assertThat(post.reply()).startsWith("网友“A000110735”：您好！");
    }

    @Test
    void theStandInCaseSystemIsIdempotentOnTheKey() {
        String body = "{\"ticketId\":\"T-IDEMPOTENT\",\"origins\":[{\"channel\":\"webform\",\"channelItemId\":\"x\"}]}";
        HttpResponse<String> first = postDemo("/demo/case-system/tickets", body, "T-IDEMPOTENT");
        HttpResponse<String> second = postDemo("/demo/case-system/tickets", body, "T-IDEMPOTENT");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(Json.read(first.body()).get("duplicate").asBoolean()).isFalse();
        assertThat(Json.read(second.body()).get("duplicate").asBoolean()).isTrue();
        assertThat(Json.read(second.body()).get("caseNo")).isEqualTo(Json.read(first.body()).get("caseNo"));
        assertThat(postDemo("/demo/case-system/tickets", body, null).statusCode()).isEqualTo(400);
        assertThat(postDemo("/demo/case-system/tickets", "{not json", "T-BROKEN").statusCode()).isEqualTo(400);
    }

    private List<JsonNode> demoTickets() {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode t : get("/api/v1/tickets?channel=webform&limit=500").get("items")) {
            if (t.at("/origins/0/channelItemId").asText().startsWith("board-")) {
                found.add(t);
            }
        }
        return found;
    }

    private JsonNode get(String path) {
        return Json.read(send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("X-Api-Key", API_KEY).GET().build(), 200));
    }

    private JsonNode getDemo(String path) {
        return Json.read(send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(), 200));
    }

    private HttpResponse<String> postDemo(String path, String body, String idempotencyKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private String send(HttpRequest request, int expected) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(r.statusCode()).as(request.uri() + " answered " + r.body()).isEqualTo(expected);
            return r.body();
        } catch (Exception e) {
            throw new AssertionError("request failed: " + request, e);
        }
    }
}
