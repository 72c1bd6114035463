package city.hotline.hub.console.web;

import static city.hotline.hub.support.CaseSystemStub.ticketsReceived;
import static city.hotline.hub.support.CaseSystemStub.updatesReceived;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import city.hotline.hub.dedup.DedupIntegrationTest;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;

/** Issue 11's undo from the console (issue 13): an admin splits a merged origin on the ticket page; an operator cannot. */
class ConsoleSplitTest extends DedupIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void anAdminSplitsAMergedOriginFromTheTicketPageAndTheCaseSystemHearsOfIt() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String first = "console-split-a-" + tag;
        String second = "console-split-b-" + tag;
        String text = "学院路" + tag + "号的路灯坏了一个月，晚上一片漆黑，老人出门摔倒了好几次。";
        String ticketId = mergedPair(first, second, text, null);
        JsonNode merged = ticketFor("webform", second);
        String client = null;
        for (JsonNode o : merged.get("origins")) {
            if (second.equals(o.path("channelItemId").asText())) {
                client = o.get("client").asText();
            }
        }
        assertThat(client).as("the merged origin names its API client").isNotNull();
        String path = "/console/tickets/" + ticketId;
        Map<String, String> form = new LinkedHashMap<>(Map.of("channel", "webform", "channelItemId", second, "client", client));

        ConsoleSession operator = ConsoleSession.operator(port);
        assertThat(operator.page(path)).contains(second).doesNotContain("拆分 Split");
        assertThat(operator.submit(path, path + "/split", form).statusCode()).as("an operator may not split").isEqualTo(403);
        assertThat(ticketFor("webform", second).get("ticketId").asText()).isEqualTo(ticketId);

        ConsoleSession admin = ConsoleSession.admin(port);
        assertThat(admin.page(path)).contains("拆分 Split");
        // the ticket's own report is not a merge: refused, and said so on the page
        Map<String, String> own = new LinkedHashMap<>(Map.of("channel", "webform", "channelItemId", first, "client", client));
        assertThat(admin.submit(path, path + "/split", own).statusCode()).isEqualTo(302);
        assertThat(admin.page(path)).contains("无法拆分", "it is the ticket&#39;s own report");

        HttpResponse<String> r = admin.submit(path, path + "/split", form);
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith(path);
        String newTicketId = ticketFor("webform", second).get("ticketId").asText();
        assertThat(newTicketId).isNotEqualTo(ticketId);
        assertThat(admin.page(path)).contains("已拆分为新工单 " + newTicketId, "ORIGIN_SPLIT").doesNotContain("拆分 Split");
        assertThat(ticketFor("webform", first).get("origins").findValuesAsText("channelItemId")).containsExactly(first);
        // the case system: the old ticket without the origin, and the new ticket
        List<LoggedRequest> created = await().atMost(WAIT).until(() -> ticketsReceived(CASE_SYSTEM, newTicketId), l -> l.size() == 1);
        assertThat(Json.read(created.get(0).getBodyAsString()).at("/origins/0/channelItemId").asText()).isEqualTo(second);
        await().atMost(WAIT).until(() -> updatesReceived(CASE_SYSTEM, ticketId).stream()
                .anyMatch(u -> Json.read(u.getBodyAsString()).get("origins").size() == 1));
    }
}
