package city.hotline.hub.dedup;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import city.hotline.hub.support.CaseSystemStub;
import city.hotline.hub.support.HubProcess;
import city.hotline.hub.support.TestDataDirs;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The index is in PostgreSQL, not in a hub's memory: a report stored before a restart is found by
 * the hub that starts afterwards on the same database, and its near duplicate joins its ticket.
 */
class MergeAcrossRestartTest {

    private final WireMockServer caseSystem = new WireMockServer(options().dynamicPort());
    private final String dataDir = TestDataDirs.fresh("dedup-restart");
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stopCaseSystem() {
        caseSystem.stop();
    }

    @Test
    void aReportStoredBeforeARestartIsMergedWithItsNearDuplicateAfterIt() throws Exception {
        caseSystem.start();
        CaseSystemStub.acceptEverything(caseSystem);
        String[] args = {"--hub.dedup.enabled=true", "--hub.backends.case-system.url=" + caseSystem.baseUrl() + "/api",
                "--hub.outbox.poll-delay=200ms"};
        String ticketId;
        try (HubProcess first = HubProcess.start(dataDir, "dedup-first", args)) {
            post(first, "restart-a", "劳动东路魅力之城小区北门外的下水道堵塞，污水漫到人行道上，已经一个星期了。", "2026/11/23 08:00:00");
            ticketId = await().atMost(Duration.ofSeconds(60)).until(() -> ticketFor(first, "restart-a"), t -> t != null).get("ticketId").asText();
            first.stop();
        }
        try (HubProcess second = HubProcess.start(dataDir, "dedup-second", args)) {
            post(second, "restart-b", "劳动东路魅力之城小区北门外的下水道堵塞，污水漫到人行道上，已经一个多星期了！", "2026/11/24 19:30:00");

            JsonNode merged = await().atMost(Duration.ofSeconds(60)).until(() -> ticketFor(second, "restart-b"), t -> t != null);

            assertThat(merged.get("ticketId").asText()).as(second.tail()).isEqualTo(ticketId);
            assertThat(merged.get("origins").findValuesAsText("channelItemId")).containsExactly("restart-a", "restart-b");
            second.stop();
        }
    }

    private void post(HubProcess hub, String externalId, String content, String submittedAt) throws Exception {
        String body = Json.write(Map.of("externalId", externalId, "content", content, "submittedAt", submittedAt));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.url("/api/v1/intake/webform")))
                .header("Content-Type", "application/json").header("X-Api-Key", HubProcess.API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private JsonNode ticketFor(HubProcess hub, String externalId) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.url("/api/v1/tickets?channel=webform&channelItemId=" + externalId)))
                .header("X-Api-Key", HubProcess.API_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode items = Json.read(r.body()).get("items");
        return items == null || items.isEmpty() ? null : items.get(0);
    }
}
