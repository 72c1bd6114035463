package city.hotline.hub.e2e;

import static city.hotline.hub.support.PollingStubs.BOARD;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import city.hotline.hub.support.BoardFixtures;
import city.hotline.hub.support.HubIntegrationTest;
import city.hotline.hub.support.PollingStubs;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;

/** The reply outbox: statuses reach each origin in order, and a slow channel holds only its own lane. */
class ReplyOrderAndLanesTest extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void whileTheFirstDeliveryFailsTwiceTwoLaterStatusesWaitAndTheOriginEndsOnTheNewest() {
        String externalId = "wf-" + UUID.randomUUID();
        String path = "/cb/" + externalId;
        CALLBACKS.stubFor(post(urlEqualTo(path)).atPriority(1).inScenario(externalId).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("busy")).willSetStateTo("failed once"));
        CALLBACKS.stubFor(post(urlEqualTo(path)).atPriority(1).inScenario(externalId).whenScenarioStateIs("failed once")
                .willReturn(aResponse().withStatus(503).withBody("busy")).willSetStateTo("failed twice"));
        CALLBACKS.stubFor(post(urlEqualTo(path)).atPriority(1).inScenario(externalId).whenScenarioStateIs("failed twice")
                .willReturn(aResponse().withStatus(200)));
        String ticketId = forwardedWebformTicket(externalId);

        assertThat(postStatus(ticketId, "{\"status\":\"ACCEPTED\",\"at\":\"2026-11-28T09:00:00+08:00\"}").statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> CALLBACKS.findAll(postRequestedFor(urlEqualTo(path))).size() >= 1);
        assertThat(postStatus(ticketId, "{\"status\":\"IN_PROGRESS\",\"at\":\"2026-11-28T10:00:00+08:00\"}").statusCode()).isEqualTo(200);
        assertThat(postStatus(ticketId, "{\"status\":\"REPLIED\",\"reply\":\"已修复\",\"at\":\"2026-11-28T11:00:00+08:00\"}").statusCode())
                .isEqualTo(200);

        List<LoggedRequest> calls = await().atMost(WAIT).until(() -> CALLBACKS.findAll(postRequestedFor(urlEqualTo(path))), l -> l.size() >= 5);
        List<String> statuses = calls.stream().map(r -> Json.read(r.getBodyAsString()).get("status").asText()).toList();
        // two failed attempts of ACCEPTED, its success, then the later ones in the order they happened
        assertThat(statuses).containsExactly("ACCEPTED", "ACCEPTED", "ACCEPTED", "IN_PROGRESS", "REPLIED");
        await().atMost(WAIT).until(() -> deliveries(ticketId).findValuesAsText("state"), s -> s.equals(List.of("SENT", "SENT", "SENT")));
        assertThat(deliveries(ticketId).get(0).get("attempts").asInt()).isEqualTo(3);
    }

    @Test
    void aCallbackHostThatHangsDelaysNeitherAnotherCitizensCallbackNorTheBoardsReply() {
        String hanging = "wf-" + UUID.randomUUID();
        CALLBACKS.stubFor(post(urlEqualTo("/cb/" + hanging)).atPriority(1).willReturn(aResponse().withStatus(200).withFixedDelay(30_000)));
        String hangingTicket = forwardedWebformTicket(hanging);
        String other = "wf-" + UUID.randomUUID();
        String otherTicket = forwardedWebformTicket(other);
        String boardTicket = forwardedBoardTicket("9009", 900901);

        postStatus(hangingTicket, "{\"status\":\"ACCEPTED\",\"at\":\"2026-11-28T09:00:00+08:00\"}");
        await().atMost(WAIT).until(() -> CALLBACKS.findAll(postRequestedFor(urlEqualTo("/cb/" + hanging))).size() == 1);
        long start = System.nanoTime();
        postStatus(otherTicket, "{\"status\":\"ACCEPTED\",\"at\":\"2026-11-28T09:00:00+08:00\"}");
        postStatus(boardTicket, Json.write(Map.of("status", "REPLIED", "at", "2026-11-28T09:00:00+08:00", "reply", "已处理")));

        await().atMost(Duration.ofSeconds(5)).until(() -> CALLBACKS.findAll(postRequestedFor(urlEqualTo("/cb/" + other))).size() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> BOARD.findAll(postRequestedFor(urlPathEqualTo("/board/reply"))).stream()
                .anyMatch(r -> r.getBodyAsString().contains("tid=900901")));
        // both arrived while the hanging call was still waiting for its answer
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        JsonNode stuck = deliveries(hangingTicket).get(0);
        assertThat(stuck.get("state").asText()).isEqualTo("PENDING");
        assertThat(stuck.get("attempts").asInt()).isZero();
    }

    private String forwardedWebformTicket(String externalId) {
        HttpResponse<String> r = postJson("/api/v1/intake/webform", "{\"externalId\":\"" + externalId
                + "\",\"content\":\"路灯不亮\",\"callbackUrl\":\"" + callbackUrl(externalId) + "\"}");
        assertThat(r.statusCode()).isEqualTo(202);
        return await().atMost(WAIT).until(() -> ticketFor("webform", externalId),
                t -> t != null && "FORWARDED".equals(t.get("status").asText())).get("ticketId").asText();
    }

    private String forwardedBoardTicket(String fid, long tid) {
        PollingStubs.stubForum(fid, "0", PollingStubs.page(List.of(PollingStubs.thread(tid, fid,
                BoardFixtures.postsWithReplies().get(3), "办理中", false))));
        PollingStubs.stubForum(fid, String.valueOf(tid), PollingStubs.EMPTY_PAGE);
        return await().atMost(WAIT).until(() -> ticketFor("board", String.valueOf(tid)),
                t -> t != null && "FORWARDED".equals(t.get("status").asText())).get("ticketId").asText();
    }

    private JsonNode deliveries(String ticketId) {
        return getJson("/api/v1/tickets/" + ticketId + "/deliveries").get("items");
    }
}
