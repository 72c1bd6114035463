package city.hotline.hub.e2e;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import city.hotline.hub.support.CaseSystemStub;
import city.hotline.hub.support.HubProcess;
import city.hotline.hub.support.TestDataDirs;
import city.hotline.hub.ticket.Json;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Items acknowledged with 202 while the case system is down survive a {@code kill -9} of the hub
 * (and of nothing else: the embedded PostgreSQL child keeps running), and after a restart on the
 * same data directory every one of them reaches the case system exactly once.
 */
class CrashRestartTest {

    private static final int ITEMS = 20;
    private final WireMockServer caseSystem = new WireMockServer(options().dynamicPort());
    private final String dataDir = TestDataDirs.fresh("crash");
    private final HttpClient http = HttpClient.newHttpClient();

    private HubProcess first;

    @AfterEach
    void cleanUp() throws Exception {
        caseSystem.stop();
        if (first != null) {
            first.killHard();
        }
        // the data directory is thrown away: no need for PostgreSQL's orderly shutdown
        Optional<ProcessHandle> leftover = HubProcess.embeddedPostgres(dataDir);
        if (leftover.isPresent()) {
            leftover.get().destroyForcibly();
            leftover.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void acknowledgedItemsSurviveAKillAndReachTheCaseSystemOnceAfterTheRestart() throws Exception {
        caseSystem.start();
        CaseSystemStub.answer(caseSystem, 503);
        String[] args = {"--hub.backends.case-system.url=" + caseSystem.baseUrl() + "/api", "--hub.api.keys=crash-key",
                "--hub.backends.case-system.retry.initial-delay=200ms", "--hub.backends.case-system.retry.max-delay=1s",
                "--hub.outbox.poll-delay=200ms"};
        Set<String> acknowledged = new HashSet<>();

        first = HubProcess.start(dataDir, "crash-first", args);
        for (int i = 0; i < ITEMS; i++) {
            String externalId = "crash-" + i + "-" + UUID.randomUUID();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(first.url("/api/v1/intake/webform")))
                    .header("Content-Type", "application/json").header("X-Api-Key", "crash-key")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"externalId\":\"" + externalId + "\",\"content\":\"第" + i + "件：路面塌陷\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body() + "\n" + first.tail()).isEqualTo(202);
            acknowledged.add(externalId);
        }
        first.killHard();
        assertThat(HubProcess.embeddedPostgres(dataDir)).as("the embedded PostgreSQL outlives a kill -9 of its parent").isPresent();

        try (HubProcess second = HubProcess.start(dataDir, "crash-second", args)) {
            CaseSystemStub.acceptEverything(caseSystem);

            await().atMost(Duration.ofSeconds(120)).until(() -> deliveredExternalIds().containsAll(acknowledged));
            Map<String, Long> acceptedPerKey = acceptedRequests().stream()
                    .collect(Collectors.groupingBy(e -> e.getRequest().getHeader("Idempotency-Key"), Collectors.counting()));
            assertThat(acceptedPerKey).hasSize(ITEMS);
            assertThat(acceptedPerKey.values()).as("no ticket accepted twice").containsOnly(1L);
            // and nothing more arrives afterwards
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> acceptedRequests().size() == ITEMS);
            second.stop();
        }
        assertThat(HubProcess.embeddedPostgres(dataDir)).as("an orderly stop also stops PostgreSQL").isEmpty();
    }

    private List<ServeEvent> acceptedRequests() {
        return caseSystem.getAllServeEvents().stream().filter(e -> e.getResponse().getStatus() == 201).toList();
    }

    private Set<String> deliveredExternalIds() {
        return acceptedRequests().stream()
                .map(e -> Json.read(e.getRequest().getBodyAsString()).at("/origins/0/channelItemId").asText())
                .collect(Collectors.toSet());
    }
}
