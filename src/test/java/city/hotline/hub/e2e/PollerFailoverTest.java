package city.hotline.hub.e2e;

import static city.hotline.hub.support.PollingStubs.BOARD;
import static city.hotline.hub.support.PollingStubs.page;
import static city.hotline.hub.support.PollingStubs.thread;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import city.hotline.hub.support.BoardFixtures;
import city.hotline.hub.support.CaseSystemStub;
import city.hotline.hub.support.HubProcess;
import city.hotline.hub.support.Hubs;
import city.hotline.hub.support.PollingStubs;
import city.hotline.hub.support.SharedServices;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two hub processes in one cluster (hub.cluster.*) on one PostgreSQL and one Artemis: the board
 * poller runs on one of them only; after a {@code kill -9} of that one the other polls within 30 s,
 * from the cursor in the database, and every thread ends as exactly one inbox row and one ticket.
 */
class PollerFailoverTest {

    private static final String FID = "9101";
    private static final List<BoardFixtures.Post> POSTS = PollingStubs.boardThreads();

    private final WireMockServer caseSystem = new WireMockServer(options().dynamicPort());
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Map<String, Object>> served = new ArrayList<>();
    private SharedServices shared;
    private Hubs hubs;

    @AfterEach
    void stop() throws Exception {
        if (hubs != null) {
            hubs.close();
        }
        if (shared != null) {
            shared.close();
        }
        caseSystem.stop();
    }

    @Test
    void thePollerRunsOnOneInstanceAndMovesToTheOtherWithin30sOfAKillWithNoThreadMissedOrReadTwice() throws Exception {
        caseSystem.start();
        CaseSystemStub.acceptEverything(caseSystem);
        shared = SharedServices.start();
        hubs = new Hubs(shared,
                "--hub.api.keys=failover-key",
                "--hub.backends.case-system.url=" + caseSystem.baseUrl() + "/api",
                "--hub.intake.poll-delay-millis=100", "--hub.backends.case-system.poll-delay-millis=100",
                "--hub.channels.board.enabled=true",
                "--hub.channels.board.api-base-url=" + BOARD.baseUrl(),
                "--hub.channels.board.forums=" + FID,
                "--hub.channels.board.poll-interval=300ms",
                "--hub.channels.board.initial-delay=200",
                "--hub.channels.board.backfill=3650d",
                "--hub.channels.board.reply-url=" + BOARD.baseUrl() + "/board/reply",
                "--hub.channels.board.backoff.initial-delay=200ms", "--hub.channels.board.backoff.max-delay=1s")
                .clustered("a", "b");
        publish(910101, 910102, 910103);

        HubProcess a = hubs.start("a");
        HubProcess b = hubs.start("b");

        await("a leads, b follows").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(cluster(a).get("leader").asBoolean()).isTrue();
            assertThat(cluster(b).get("leader").asBoolean()).isFalse();
            assertThat(cluster(b).get("members").toString()).contains("a").contains("b");
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> inboxRows(910101, 910103) == 3);
        publish(910104, 910105, 910106);
        await().atMost(Duration.ofSeconds(30)).until(() -> inboxRows(910101, 910106) == 6);
        assertThat(polls(a)).as("the leader polls").isPositive();
        assertThat(polls(b)).as("the other instance does not").isZero();
        assertThat(metric(a, "hub_cluster_leader")).isEqualTo(1.0);
        assertThat(metric(b, "hub_cluster_leader")).isEqualTo(0.0);

        hubs.kill("a");
        long killedAt = System.nanoTime();
        publish(910107, 910108, 910109);

        await("b takes over and reads the threads posted after the kill").atMost(Duration.ofSeconds(30))
                .until(() -> inboxRows(910107, 910109) == 3);
        Duration failover = Duration.ofNanos(System.nanoTime() - killedAt);
        assertThat(cluster(b).get("leader").asBoolean()).isTrue();
        assertThat(polls(b)).isPositive();

        await("every thread became a ticket").atMost(Duration.ofSeconds(30)).until(() -> ticketOrigins(910101, 910109) == 9);
        for (long tid = 910101; tid <= 910109; tid++) {
            assertThat(inboxRows(tid, tid)).as("thread %s stored once", tid).isEqualTo(1);
            assertThat(ticketOrigins(tid, tid)).as("thread %s is one ticket", tid).isEqualTo(1);
        }
        System.out.println("poller failover took " + failover.toMillis() + " ms");
    }

    /** The board's forum now lists these threads too, newest first (all on the first page). */
    private void publish(long... tids) {
        for (long tid : tids) {
            served.add(0, thread(tid, FID, POSTS.get((int) (tid % 100)), "已办理", true));
        }
        BOARD.stubFor(post(urlPathEqualTo("/threads/queryThreadsList")).atPriority(1)
                .withFormParam("fid", equalTo(FID)).withFormParam("lastItem", equalTo("0"))
                .willReturn(okJson(page(List.copyOf(served)))));
    }

    private JsonNode cluster(HubProcess hub) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.url("/actuator/health"))).header("X-Api-Key", "failover-key").build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.read(r.body()).at("/components/cluster/details");
    }

    /** Successful polls of the forum counted by this instance (hub_board_polls_total). */
    private double polls(HubProcess hub) throws Exception {
        return prometheus(hub).filter(l -> l.startsWith("hub_board_polls_total{") && l.contains("source=\"fid:" + FID + "\"")
                        && l.contains("outcome=\"ok\""))
                .mapToDouble(PollerFailoverTest::value).sum();
    }

    private double metric(HubProcess hub, String name) throws Exception {
        return prometheus(hub).filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).mapToDouble(PollerFailoverTest::value)
                .findFirst().orElseThrow(() -> new AssertionError("no metric " + name));
    }

    private java.util.stream.Stream<String> prometheus(HubProcess hub) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.url("/actuator/prometheus"))).header("X-Api-Key", "failover-key").build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body().lines();
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private int inboxRows(long fromTid, long toTid) {
        return count("SELECT count(*) FROM inbox WHERE channel = 'board' AND channel_item_id::bigint BETWEEN ? AND ?", fromTid, toTid);
    }

    private int ticketOrigins(long fromTid, long toTid) {
        return count("SELECT count(*) FROM ticket_origin WHERE channel = 'board' AND channel_item_id::bigint BETWEEN ? AND ?", fromTid, toTid);
    }

    private int count(String sql, Object... args) {
        Integer n = shared.jdbc().queryForObject(sql, Integer.class, args);
        return n == null ? 0 : n;
    }
}
