package city.hotline.hub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import city.hotline.hub.support.CaseSystemStub;
import city.hotline.hub.support.HubProcess;
import city.hotline.hub.support.Hubs;
import city.hotline.hub.support.SharedServices;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two hub processes on one PostgreSQL and one Artemis reached over TCP, forwarding to one case
 * system: every row is claimed, so the instances share the work without handling an item twice,
 * and a killed instance's work is taken over by the other. The second test kills instance a.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutTest {

    private static final String KEY = "scale-key";

    private final WireMockServer caseSystem = new WireMockServer(options().dynamicPort().containerThreads(64));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private SharedServices shared;
    private Hubs hubs;

    @BeforeAll
    void startTwoHubs() throws Exception {
        caseSystem.start();
        CaseSystemStub.acceptEverything(caseSystem);
        shared = SharedServices.start();
        hubs = new Hubs(shared,
                "--hub.api.keys=" + KEY,
                "--hub.backends.case-system.status-secret=scale-out-status-secret",
                "--hub.backends.case-system.url=" + caseSystem.baseUrl() + "/api",
                "--hub.backends.case-system.connect-timeout-millis=1000",
                "--hub.backends.case-system.response-timeout-millis=3000",
                // a short lease, so that the killed instance's claims are taken over quickly
                "--hub.outbox.lease=8s",
                // a fallback poll far longer than any wait below: what moves the items are the wake-ups
                "--hub.outbox.poll-delay=30s");
        hubs.start("a", "--hub.cluster.node-id=a");
        hubs.start("b", "--hub.cluster.node-id=b");
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (hubs != null) {
                hubs.close();
            }
            if (shared != null) {
                shared.close();
            }
        } finally {
            caseSystem.stop();
        }
    }

    @Test
    @Order(0)
    void atLowLoadAnItemReachesTheCaseSystemWithoutWaitingForThePoll() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> shared.jdbc().queryForObject(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'", Integer.class) >= 2);
        long start = System.nanoTime();
        assertThat(post(hubs.get("b"), item("quick-1"))).isEqualTo(202);

        await().atMost(Duration.ofSeconds(5)).until(() -> forwarded("quick-").size() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    @Order(1)
    void itemsPostedToBothInstancesAtOnceBecomeOneTicketEachSentOnce() throws Exception {
        HubProcess a = hubs.get("a");
        HubProcess b = hubs.get("b");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<int[]>> answers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String body = item("both-" + i);
            // the same item to both instances at the same moment
            answers.add(pool.submit(() -> new int[] {post(a, body), post(b, body)}));
        }
        for (int i = 0; i < 200; i++) {
            String body = item("one-" + i);
            HubProcess target = i % 2 == 0 ? a : b;
            answers.add(pool.submit(() -> new int[] {post(target, body)}));
        }
        for (Future<int[]> f : answers) {
            for (int status : f.get()) {
                assertThat(status).isEqualTo(202);
            }
        }
        pool.shutdown();

        await().atMost(Duration.ofSeconds(60)).until(() -> forwarded("both-", "one-").size() == 300);
        Map<String, Set<String>> ticketIds = forwarded("both-", "one-");
        assertThat(ticketIds.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
        assertThat(shared.jdbc().queryForObject(
                "SELECT count(*) FROM ticket_origin WHERE channel_item_id LIKE 'both-%' OR channel_item_id LIKE 'one-%'", Integer.class))
                .isEqualTo(300);
        // each ticket was POSTed once: no two instances sent the same outbox row
        Map<String, Integer> posts = postsPerTicket();
        ticketIds.values().forEach(ids -> assertThat(posts.get(ids.iterator().next())).isEqualTo(1));
    }

    @Test
    @Order(2)
    void anInstanceKilledMidLoadLosesNothingAndNoItemIsForwardedUnderTwoTicketIds() throws Exception {
        HubProcess a = hubs.get("a");
        HubProcess b = hubs.get("b");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger sent = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> senders = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            senders.add(pool.submit(() -> {
                for (int i = 0; i < 100; i++) {
                    String id = "kill-" + thread + "-" + i;
                    String body = item(id);
                    // like a load balancer: alternate, and retry on the other instance when one is gone
                    HubProcess first = i % 2 == 0 ? a : b;
                    int status = tryPost(first, body);
                    if (status != 202) {
                        status = tryPost(first == a ? b : a, body);
                    }
                    if (status == 202) {
                        acknowledged.add(id);
                    }
                    sent.incrementAndGet();
                }
                return null;
            }));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> sent.get() >= 250);
        hubs.kill("a");
        for (Future<?> f : senders) {
            f.get();
        }
        pool.shutdown();

        assertThat(acknowledged).hasSize(800);
        // a's claimed rows come back after the lease; every acknowledged item reaches the case system
        await().atMost(Duration.ofSeconds(90)).until(() -> forwarded("kill-").keySet().containsAll(acknowledged));
        Map<String, Set<String>> ticketIds = forwarded("kill-");
        assertThat(ticketIds.values()).allSatisfy(ids -> assertThat(ids).as("an item under one ticket id").hasSize(1));
        assertThat(shared.jdbc().queryForObject("SELECT count(*) FROM ticket_origin WHERE channel_item_id LIKE 'kill-%'", Integer.class))
                .isEqualTo(800);
        assertThat(shared.jdbc().queryForObject(
                "SELECT count(*) FROM inbox WHERE channel_item_id LIKE 'kill-%' AND state <> 'DONE'", Integer.class)).isZero();
    }

    private static String item(String externalId) {
        return "{\"externalId\":\"" + externalId + "\",\"content\":\"小区门口路灯坏了，晚上很黑\",\"requester\":{\"phone\":\"13812345678\"}}";
    }

    private int post(HubProcess hub, String body) throws Exception {
        return http.send(request(hub, body), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** The status, or -1 when the instance did not answer (it was killed). */
    private int tryPost(HubProcess hub, String body) {
        try {
            return post(hub, body);
        } catch (Exception e) {
            return -1;
        }
    }

    private static HttpRequest request(HubProcess hub, String body) {
        return HttpRequest.newBuilder(URI.create(hub.url("/api/v1/intake/webform"))).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").header("X-Api-Key", KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }

    /** externalId → every ticket id the case system received it under, for items with these prefixes. */
    private Map<String, Set<String>> forwarded(String... prefixes) {
        Map<String, Set<String>> byItem = new HashMap<>();
        for (LoggedRequest r : caseSystem.findAll(postRequestedFor(urlEqualTo("/api/tickets")))) {
            JsonNode ticket = Json.read(r.getBodyAsString());
            String item = ticket.at("/origins/0/channelItemId").asText();
            for (String prefix : prefixes) {
                if (item.startsWith(prefix)) {
                    byItem.computeIfAbsent(item, k -> new HashSet<>()).add(ticket.get("ticketId").asText());
                }
            }
        }
        return byItem;
    }

    private Map<String, Integer> postsPerTicket() {
        Map<String, Integer> posts = new HashMap<>();
        for (LoggedRequest r : caseSystem.findAll(postRequestedFor(urlEqualTo("/api/tickets")))) {
            posts.merge(r.getHeader("Idempotency-Key"), 1, Integer::sum);
        }
        return posts;
    }
}
