package city.hotline.hub.dedup;

import static city.hotline.hub.support.CaseSystemStub.ticketsReceived;
import static city.hotline.hub.support.CaseSystemStub.updatesReceived;
import static city.hotline.hub.support.PollingStubs.page;
import static city.hotline.hub.support.PollingStubs.thread;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import city.hotline.hub.support.BoardFixtures;
import city.hotline.hub.support.PollingStubs;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;

/** The acceptance tests of issue 11 that run in one hub: merging, fan-out of replies, places, split. */
class NearDuplicateMergeTest extends DedupIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aRepostBySameUserHoursLaterJoinsTheFirstTicketAndTheCaseSystemGetsAnUpdateNotASecondTicket() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String first = "wf-first-" + tag;
        String again = "wf-again-" + tag;
        String text = "青园路" + tag + "号门口的井盖缺失已经三天了，晚上路过非常危险，请尽快派人处理。";
        post(first, text, "2026/11/20 09:00:00", "13812345678", null);
        String ticketId = await().atMost(WAIT).until(() -> ticketFor("webform", first), t -> t != null && "FORWARDED".equals(t.get("status").asText()))
                .get("ticketId").asText();

        post(again, "【再次反映】" + text + "还是没人管！", "2026/11/20 14:30:00", "13812345678", null);

        JsonNode merged = await().atMost(WAIT).until(() -> ticketFor("webform", again), t -> t != null);
        assertThat(merged.get("ticketId").asText()).as("the re-post is an origin of the first ticket").isEqualTo(ticketId);
        assertThat(merged.get("origins").findValuesAsText("channelItemId")).containsExactly(first, again);
        JsonNode related = merged.get("related").get(0);
        assertThat(related.get("channelItemId").asText()).isEqualTo(again);
        assertThat(related.get("score").asDouble()).isGreaterThan(0.6);
        assertThat(related.get("reasons").toString()).contains("same requester").contains("reported 5 h apart");
        JsonNode event = history(ticketId).stream().filter(e -> "MERGED".equals(e.get("kind").asText())).findFirst().orElseThrow();
        assertThat(event.get("detail").asText()).contains(again).contains("score");
        // the case system: one ticket, then an update of it with both origins; never a second POST
        List<LoggedRequest> updates = await().atMost(WAIT).until(() -> updatesReceived(CASE_SYSTEM, ticketId), l -> !l.isEmpty());
        assertThat(Json.read(updates.get(0).getBodyAsString()).get("origins")).hasSize(2);
        assertThat(ticketsReceived(CASE_SYSTEM, ticketId)).hasSize(1);
        assertThat(CASE_SYSTEM.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/api/tickets")))
                .stream().filter(r -> r.getBodyAsString().contains(again))).isEmpty();
    }

    @Test
    void theSameTextFromTheMessageBoardAndTheWebFormMergesAndBothOriginsGetTheReply() {
        BoardFixtures.Post post = BoardFixtures.postsWithReplies().get(3);
        long tid = 910101;
        stubForum("0", page(List.of(thread(tid, FORUM, post, "办理中", false))));
        stubForum(String.valueOf(tid), PollingStubs.EMPTY_PAGE);
        String ticketId = await().atMost(WAIT).until(() -> ticketFor("board", String.valueOf(tid)), t -> t != null)
                .get("ticketId").asText();

        // the same citizen text, typed into the web form the next day by someone else
        String externalId = "wf-board-" + UUID.randomUUID();
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("externalId", externalId);
        form.put("content", post.body());
        form.put("submittedAt", post.time().replaceFirst(" ", " ").replaceAll("^(\\d{4})-(\\d{2})-(\\d{2})", "$1/$2/$3"));
        form.put("callbackUrl", callbackUrl(externalId));
        assertThat(postJson("/api/v1/intake/webform", Json.write(form)).statusCode()).isEqualTo(202);

        JsonNode merged = await().atMost(WAIT).until(() -> ticketFor("webform", externalId), t -> t != null);
        assertThat(merged.get("ticketId").asText()).isEqualTo(ticketId);
        assertThat(merged.get("related").get(0).get("reasons").toString()).contains("same text");

        HttpResponse<String> status = postStatus(ticketId, Json.write(Map.of("status", "REPLIED",
                "at", "2026-11-28T10:00:00+08:00", "reply", "已派人核实处理。")));
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(Json.read(status.body()).get("repliesQueued").asInt()).isEqualTo(2);
        LoggedRequest boardReply = await().atMost(WAIT).until(() -> BOARD.findAll(postRequestedFor(urlPathEqualTo("/board/reply"))).stream()
                .filter(r -> form(r).get("tid").equals(String.valueOf(tid))).findFirst().orElse(null), r -> r != null);
        assertThat(form(boardReply).get("ticketId")).isEqualTo(ticketId);
        List<LoggedRequest> callbacks = await().atMost(WAIT).until(() -> CALLBACKS.findAll(
                postRequestedFor(urlPathEqualTo("/cb/" + externalId))), l -> !l.isEmpty());
        assertThat(Json.read(callbacks.get(0).getBodyAsString()).get("reply").asText()).isEqualTo("已派人核实处理。");
        await().atMost(WAIT).until(() -> getJson("/api/v1/tickets/" + ticketId + "/deliveries").get("items").findValuesAsText("state"),
                states -> states.size() == 2 && states.stream().allMatch("SENT"::equals));
    }

    @Test
    void theSameWordingAboutADifferentPlaceStaysSeparate() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String here = "wf-here-" + tag;
        String there = "wf-there-" + tag;
        post(here, "桐梓坡路" + tag + "号旁边的锦绣小区门口路灯坏了一个月，晚上一片漆黑，老人小孩出行很不安全。", "2026/11/21 20:00:00", null, null);
        post(there, "桐梓坡路" + tag + "号旁边的望月湖小区门口路灯坏了一个月，晚上一片漆黑，老人小孩出行很不安全。", "2026/11/21 21:00:00", null, null);

        JsonNode a = await().atMost(WAIT).until(() -> ticketFor("webform", here), t -> t != null);
        JsonNode b = await().atMost(WAIT).until(() -> ticketFor("webform", there), t -> t != null);

        assertThat(b.get("ticketId").asText()).isNotEqualTo(a.get("ticketId").asText());
        assertThat(a.has("related")).isFalse();
        assertThat(b.has("related")).isFalse();
        await().atMost(WAIT).until(() -> ticketsReceived(CASE_SYSTEM, b.get("ticketId").asText()).size() == 1);
    }

    @Test
    void aSplitRestoresTwoTicketsAndTheCaseSystemHearsOfBoth() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String first = "wf-split-a-" + tag;
        String second = "wf-split-b-" + tag;
        String text = "书院路" + tag + "号的垃圾站三天没有清运，臭气熏天，周边居民无法开窗。";
        String ticketId = mergedPair(first, second, text, callbackUrl(second));
        await().atMost(WAIT).until(() -> updatesReceived(CASE_SYSTEM, ticketId).size() == 1);
        String path = "/api/v1/tickets/" + ticketId + "/origins/webform/" + second + "/split";

        assertThat(postAs(path, VIEWER_KEY).statusCode()).as("a client without admin may not split").isEqualTo(403);
        HttpResponse<String> r = postAs(path, API_KEY);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String newTicketId = Json.read(r.body()).get("newTicketId").asText();
        assertThat(newTicketId).isNotEqualTo(ticketId);
        JsonNode old = ticketFor("webform", first);
        JsonNode split = ticketFor("webform", second);
        assertThat(old.get("ticketId").asText()).isEqualTo(ticketId);
        assertThat(old.get("origins").findValuesAsText("channelItemId")).containsExactly(first);
        assertThat(old.get("related")).isEmpty();
        assertThat(split.get("ticketId").asText()).isEqualTo(newTicketId);
        assertThat(split.get("origins").findValuesAsText("channelItemId")).containsExactly(second);
        // the case system: PUT of the old ticket without the origin, POST of the new one
        List<LoggedRequest> puts = await().atMost(WAIT).until(() -> updatesReceived(CASE_SYSTEM, ticketId), l -> l.size() == 2);
        assertThat(Json.read(puts.get(1).getBodyAsString()).get("origins")).hasSize(1);
        List<LoggedRequest> created = await().atMost(WAIT).until(() -> ticketsReceived(CASE_SYSTEM, newTicketId), l -> l.size() == 1);
        assertThat(Json.read(created.get(0).getBodyAsString()).at("/origins/0/channelItemId").asText()).isEqualTo(second);
        assertThat(history(ticketId).stream().map(e -> e.get("kind").asText())).contains("MERGED", "ORIGIN_SPLIT");
        assertThat(history(newTicketId).stream().map(e -> e.get("kind").asText())).contains("CREATED", "SPLIT_FROM");
        // and its replies now go to the new ticket's origin
        postStatus(newTicketId, Json.write(Map.of("status", "ACCEPTED", "at", "2026-11-28T10:00:00+08:00")));
        await().atMost(WAIT).until(() -> CALLBACKS.findAll(postRequestedFor(urlPathEqualTo("/cb/" + second))).size() == 1);
    }

    @Test
    void nearDuplicatesStoredAtTheSameTimeByConcurrentWorkersEndUpInOneTicket() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String text = "木莲中路" + tag + "号的新点苑小区电梯又坏了，老人被困在楼上下不来，物业说没钱修。";
        java.util.List<String> ids = java.util.stream.IntStream.range(0, 12).mapToObj(i -> "wf-burst-" + i + "-" + tag).toList();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                String variant = i % 2 == 0 ? text : text + "请尽快处理！";
                pool.submit(() -> post(id, variant, "2026/11/25 08:0" + (ids.indexOf(id) % 10) + ":00", null, null));
            }
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }

        java.util.Set<String> tickets = await().atMost(WAIT).until(() -> {
            java.util.Set<String> found = new java.util.HashSet<>();
            for (String id : ids) {
                JsonNode t = ticketFor("webform", id);
                if (t == null) {
                    return null;
                }
                found.add(t.get("ticketId").asText());
            }
            return found;
        }, f -> f != null);

        assertThat(tickets).as("one 主办 ticket for the problem").hasSize(1);
        String ticketId = tickets.iterator().next();
        assertThat(getJson("/api/v1/tickets/" + ticketId).get("origins")).hasSize(12);
        await().atMost(WAIT).until(() -> ticketsReceived(CASE_SYSTEM, ticketId).size() == 1);
    }

    @Test
    void theSameCitizenRewritingTheLetterUnderTheSameTitleJoinsTheFirstTicket() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String first = "wf-title-a-" + tag;
        String again = "wf-title-b-" + tag;
        post(first, "兰亭湾畔小区" + tag + "栋违法开餐厅", "小区一楼住户把房子改成餐厅，油烟噪音扰民，城管来了也不管。", "2026/11/23 09:00:00", "13912345678", null);
        String ticketId = await().atMost(WAIT).until(() -> ticketFor("webform", first), t -> t != null).get("ticketId").asText();

        post(again, "兰亭湾畔小区" + tag + "栋违规开餐厅", "再次反映：住宅楼下私自经营饭店，每天凌晨还在营业，投诉多次无果！", "2026/11/24 15:00:00",
                "13912345678", null);

        JsonNode merged = await().atMost(WAIT).until(() -> ticketFor("webform", again), t -> t != null);
        assertThat(merged.get("ticketId").asText()).as("the title was stored in the index and compared").isEqualTo(ticketId);
        assertThat(merged.get("related").get(0).get("reasons").toString()).contains("same requester").contains("title similarity");
    }

    @Test
    void aTicketHoldingMaxOriginsReportsTakesNoMoreAndTheNextReportsBecomeARelatedTicketOfTheirOwn() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String text = "五一大道" + tag + "号地铁口的共享单车堆成山，行人只能走机动车道，太危险了。";
        List<String> ids = java.util.stream.IntStream.range(0, MAX_ORIGINS + 2).mapToObj(i -> "wf-viral-" + i + "-" + tag).toList();
        for (int i = 0; i < ids.size(); i++) {
            post(ids.get(i), text, "2026/11/26 09:" + (10 + i) + ":00", null, null);
        }

        Map<String, List<String>> byTicket = await().atMost(WAIT).until(() -> {
            Map<String, List<String>> found = new LinkedHashMap<>();
            for (String id : ids) {
                JsonNode t = ticketFor("webform", id);
                if (t == null) {
                    return null;
                }
                found.computeIfAbsent(t.get("ticketId").asText(), k -> new java.util.ArrayList<>()).add(id);
            }
            return found;
        }, f -> f != null);

        assertThat(byTicket).as("one full ticket and one related ticket").hasSize(2);
        String full = byTicket.entrySet().stream().filter(e -> e.getValue().size() == MAX_ORIGINS).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("no ticket holds " + MAX_ORIGINS + " reports: " + byTicket));
        String overflow = byTicket.keySet().stream().filter(t -> !t.equals(full)).findFirst().orElseThrow();
        assertThat(byTicket.get(overflow)).hasSize(2);
        assertThat(getJson("/api/v1/tickets/" + full).get("origins")).hasSize(MAX_ORIGINS);
        JsonNode related = getJson("/api/v1/tickets/" + overflow);
        assertThat(related.get("origins")).hasSize(2);
        assertThat(related.get("related").get(0).asText()).as("the new ticket names the full one").isEqualTo(full);
        assertThat(history(overflow).stream().filter(e -> "RELATED".equals(e.get("kind").asText())).findFirst().orElseThrow()
                .get("detail").asText()).contains(full).contains("max-origins");
        // the case system: a ticket for each, the second carrying the link
        await().atMost(WAIT).until(() -> ticketsReceived(CASE_SYSTEM, full).size() == 1 && ticketsReceived(CASE_SYSTEM, overflow).size() == 1);
        assertThat(Json.read(ticketsReceived(CASE_SYSTEM, overflow).get(0).getBodyAsString()).get("related").toString()).contains(full);
    }

    private void post(String externalId, String content, String submittedAt, String phone, String callbackUrl) {
        post(externalId, null, content, submittedAt, phone, callbackUrl);
    }

    private void post(String externalId, String title, String content, String submittedAt, String phone, String callbackUrl) {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("externalId", externalId);
        if (title != null) {
            form.put("title", title);
        }
        form.put("content", content);
        form.put("submittedAt", submittedAt);
        if (phone != null) {
            form.put("requester", Map.of("phone", phone));
        }
        if (callbackUrl != null) {
            form.put("callbackUrl", callbackUrl);
        }
        HttpResponse<String> r = postJson("/api/v1/intake/webform", Json.write(form));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private HttpResponse<String> postAs(String path, String key) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("X-Api-Key", key)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private List<JsonNode> history(String ticketId) {
        List<JsonNode> out = new java.util.ArrayList<>();
        getJson("/api/v1/tickets/" + ticketId + "/history").get("items").forEach(out::add);
        return out;
    }

    private static Map<String, String> form(LoggedRequest r) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String kv : r.getBodyAsString().split("&")) {
            int eq = kv.indexOf('=');
            out.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
