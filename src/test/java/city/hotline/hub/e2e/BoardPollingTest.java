package city.hotline.hub.e2e;

import static city.hotline.hub.support.CaseSystemStub.ticketsReceived;
import static city.hotline.hub.support.PollingStubs.BOARD;
import static city.hotline.hub.support.PollingStubs.page;
import static city.hotline.hub.support.PollingStubs.thread;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import city.hotline.hub.store.QuarantineStore;
import city.hotline.hub.support.BoardFixtures;
import city.hotline.hub.support.HubIntegrationTest;
import city.hotline.hub.support.PollingStubs;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The board poller against a WireMock board (channels.md §3) fed with rows of the public data set. */
class BoardPollingTest extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<BoardFixtures.Post> POSTS = PollingStubs.boardThreads();

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CamelContext camel;
    @Autowired
    QuarantineStore quarantine;

    @Test
    void pagesAreReadDownToTheWatermarkAndARestartNeitherMissesNorRepeatsAThread() throws Exception {
        String fid = "9001";
        // page 1: 900110..900106; page 2 (lastItem=900106) repeats 900107 and 900106 (the board re-sorted), then 900105..900101
        List<Map<String, Object>> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            all.add(thread(900110 - i, fid, POSTS.get(i), "已办理", true));
        }
        stubForum(fid, "0", page(all.subList(0, 5)));
        stubForum(fid, "900106", page(all.subList(3, 10)));
        stubForum(fid, "900101", PollingStubs.EMPTY_PAGE);

        await().atMost(WAIT).until(() -> watermark("fid:" + fid), w -> w != null && w == 900110L);
        for (long tid = 900101; tid <= 900110; tid++) {
            assertThat(inboxRows(String.valueOf(tid))).as("thread %s stored once", tid).isEqualTo(1);
        }
        await().atMost(WAIT).until(() -> ticketFor("board", "900101") != null && ticketFor("board", "900110") != null);

        camel.getRouteController().stopRoute("board-poll");
        try {
            Map<String, Object> cursor = cursor("fid:" + fid);
            assertThat(cursor.get("watermark")).isEqualTo(900110L);
            assertThat(cursor.get("run_resume")).isNull();
            // while the hub is down two threads are posted; the first page now overlaps the watermark
            List<Map<String, Object>> newer = new ArrayList<>();
            newer.add(thread(900112, fid, POSTS.get(10), "办理中", false));
            newer.add(thread(900111, fid, POSTS.get(11), "办理中", false));
            newer.addAll(all.subList(0, 2));
            stubForum(fid, "0", page(newer));
        } finally {
            camel.getRouteController().startRoute("board-poll");
        }

        await().atMost(WAIT).until(() -> watermark("fid:" + fid), w -> w == 900112L);
        await().atMost(WAIT).until(() -> ticketFor("board", "900112") != null && ticketFor("board", "900111") != null);
        for (long tid = 900101; tid <= 900112; tid++) {
            assertThat(inboxRows(String.valueOf(tid))).as("thread %s stored once", tid).isEqualTo(1);
            String ticketId = ticketFor("board", String.valueOf(tid)).get("ticketId").asText();
            await().atMost(WAIT).until(() -> ticketsReceived(CASE_SYSTEM, ticketId).size() == 1);
        }
        assertThat(requests(fid).stream().filter(r -> "900110".equals(r.get("lastItem")) || "900109".equals(r.get("lastItem"))))
                .as("no page below the watermark is fetched").isEmpty();
        assertThat(requests(fid)).allSatisfy(r -> assertThat(r.get("state")).as("全部: the cursor decides what is new").isEqualTo("1"));
    }

    @Test
    void theFirstRunOfAForumReadsBackOnlyAsFarAsTheBackfillWindow() {
        String fid = "9008";
        // the test hub's backfill is 3650 days: the 2019 posts are inside, a 2015 post is not
        Map<String, Object> tooOld = new HashMap<>(thread(900801, fid, POSTS.get(12), "已办理", true));
        tooOld.put("dateline", PollingStubs.epochSeconds("2015/3/1 10:00:00"));
        stubForum(fid, "0", page(List.of(thread(900803, fid, BoardFixtures.postsWithReplies().get(0), "已办理", true),
                thread(900802, fid, BoardFixtures.postsWithReplies().get(2), "已办理", true), tooOld)));

        await().atMost(WAIT).until(() -> watermark("fid:" + fid), w -> w != null && w == 900803L);

        await().atMost(WAIT).until(() -> ticketFor("board", "900802") != null);
        assertThat(inboxRows("900801")).as("older than the backfill window").isZero();
        assertThat(requests(fid)).as("nothing older is fetched").noneMatch(r -> !"0".equals(r.get("lastItem")));
    }

    @Test
    void aFirewallBlockInTheMiddleOfARunBacksOffKeepsTheWatermarkAndTheRunResumesAfterARestart() throws Exception {
        String fid = "9002";
        stubForum(fid, "0", page(List.of(thread(900205, fid, POSTS.get(0), "已办理", true),
                thread(900204, fid, POSTS.get(1), "已办理", true), thread(900203, fid, POSTS.get(2), "已办理", true))));
        StubMapping blocked = BOARD.stubFor(forum(fid, "900203")
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "text/html").withBody("<html><body>403 Forbidden</body></html>")));

        await().atMost(WAIT).until(() -> cursor("fid:" + fid), c -> ((Number) c.get("failures")).intValue() >= 2);
        Map<String, Object> cursor = cursor("fid:" + fid);
        assertThat(cursor.get("watermark")).as("the watermark only moves when a run caught up").isNull();
        assertThat(cursor.get("run_resume")).isEqualTo("900203");
        assertThat(cursor.get("run_high")).isEqualTo(900205L);
        assertThat((String) cursor.get("last_error")).contains("403");
        assertThat(((Timestamp) cursor.get("next_poll_at")).toInstant()).isAfter(Instant.now().minusSeconds(2));
        assertThat(health().at("/components/board/details/sources/fid:9002/consecutiveFailures").asInt()).isGreaterThanOrEqualTo(2);
        await().atMost(WAIT).until(() -> ticketFor("board", "900203") != null);

        camel.getRouteController().stopRoute("board-poll");
        try {
            BOARD.removeStub(blocked);
            stubForum(fid, "900203", page(List.of(thread(900202, fid, POSTS.get(3), "已办理", true), thread(900201, fid, POSTS.get(4), "已办理", true))));
            stubForum(fid, "900201", PollingStubs.EMPTY_PAGE);
        } finally {
            camel.getRouteController().startRoute("board-poll");
        }

        await().atMost(WAIT).until(() -> watermark("fid:" + fid), w -> w != null && w == 900205L);
        assertThat(cursor("fid:" + fid).get("failures")).isEqualTo(0);
        for (long tid = 900201; tid <= 900205; tid++) {
            assertThat(inboxRows(String.valueOf(tid))).as("thread %s stored once", tid).isEqualTo(1);
        }
        await().atMost(WAIT).until(() -> ticketFor("board", "900201") != null);
    }

    @Test
    void aMisbehavingForumBacksOffMoreAndMoreWhileTheOtherForumsKeepPolling() {
        String broken = "9003";
        String healthy = "9004";
        StubMapping fail = BOARD.stubFor(forum(broken, "0").willReturn(okJson("{\"result\":\"fail\",\"resultDesc\":\"访问过于频繁\"}")));
        // the back-off of each failed poll (next_poll_at - updated_at), by consecutive failures
        Map<Integer, Long> backoffByFailures = new java.util.concurrent.ConcurrentHashMap<>();

        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            Map<String, Object> c = cursor("fid:" + broken);
            if (c.get("next_poll_at") != null && ((Number) c.get("failures")).intValue() > 0) {
                backoffByFailures.put(((Number) c.get("failures")).intValue(), ((Timestamp) c.get("next_poll_at")).getTime()
                        - ((Timestamp) c.get("updated_at")).getTime());
            }
            return backoffByFailures.containsKey(3);
        });
        assertThat(lastError("fid:" + broken)).contains("访问过于频繁");
        // growing: 200ms, 400ms, 800ms (test configuration: initial 200ms, x2, at most 1s)
        assertThat(backoffByFailures.get(3)).isBetween(700L, 900L);
        assertThat(backoffByFailures.keySet().stream().filter(n -> n < 3).map(backoffByFailures::get)).allMatch(d -> d < 500);
        stubForum(healthy, "0", page(List.of(thread(900401, healthy, POSTS.get(5), "已办理", true))));
        await().atMost(WAIT).until(() -> ticketFor("board", "900401") != null);

        BOARD.removeStub(fail);
        StubMapping empty = BOARD.stubFor(forum(broken, "0").willReturn(aResponse().withStatus(200)));
        await().atMost(WAIT).until(() -> lastError("fid:" + broken), e -> e != null && e.contains("empty body"));
        BOARD.removeStub(empty);
        StubMapping html = BOARD.stubFor(forum(broken, "0").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html><body>系统维护中</body></html>")));
        await().atMost(WAIT).until(() -> lastError("fid:" + broken), e -> e != null && e.contains("not JSON"));
        await().atMost(WAIT).until(() -> ((Number) cursor("fid:" + broken).get("failures")).intValue() >= 5);

        assertThat(((Timestamp) cursor("fid:" + broken).get("next_poll_at")).getTime()
                - ((Timestamp) cursor("fid:" + broken).get("updated_at")).getTime()).as("capped at max-delay").isBetween(900L, 1100L);
        assertThat(watermark("fid:" + broken)).isNull();
        assertThat(health().at("/components/board/status").asText()).isEqualTo("UP");

        BOARD.removeStub(html);
        stubForum(broken, "0", page(List.of(thread(900301, broken, POSTS.get(6), "已办理", true))));
        await().atMost(WAIT).until(() -> watermark("fid:" + broken), w -> w != null && w == 900301L);
        assertThat(cursor("fid:" + broken).get("failures")).isEqualTo(0);
    }

    @Test
    void aMalformedThreadIsQuarantinedOnceWithItsRawTextAndTheRestOfThePageIsTakenIn() {
        String fid = "9005";
        Map<String, Object> bad = new HashMap<>(thread(0, fid, POSTS.get(7), "已办理", true));
        bad.remove("tid");
        bad.put("subject", "没有编号的留言 9005");
        stubForum(fid, "0", page(List.of(thread(900502, fid, POSTS.get(8), "已办理", true), bad, thread(900501, fid, POSTS.get(9), "已办理", true))));
        stubForum(fid, "900501", PollingStubs.EMPTY_PAGE);

        await().atMost(WAIT).until(() -> watermark("fid:" + fid), w -> w != null && w == 900502L);
        await().atMost(WAIT).until(() -> ticketFor("board", "900501") != null && ticketFor("board", "900502") != null);
        List<Map<String, Object>> quarantined = jdbc.queryForList(
                "SELECT id, stage, reason, payload FROM quarantine WHERE channel = 'board' AND payload LIKE '%没有编号的留言 9005%'");
        assertThat(quarantined).hasSize(1);
        assertThat(quarantined.get(0).get("stage")).isEqualTo("INTAKE");
        assertThat((String) quarantined.get(0).get("reason")).contains("fid:9005").contains("tid");

        // still unreadable: the replay says why and changes nothing
        HttpResponse<String> again = postJson("/api/v1/quarantine/" + quarantined.get(0).get("id") + "/replay", "{}");
        assertThat(again.statusCode()).isEqualTo(422);
        assertThat(again.body()).contains("tid");
    }

    @Test
    void aQuarantinedThreadThatIsReadableNowIsReplayedIntoATicket() {
        Map<String, Object> thread = thread(900599, "9005", POSTS.get(10), "已办理", true);
        long id = quarantine.add("board", QuarantineStore.Stage.INTAKE, null, null, "fid:9005: stored by an older parser", Json.write(thread));

        HttpResponse<String> replay = postJson("/api/v1/quarantine/" + id + "/replay", "{}");

        assertThat(replay.statusCode()).isEqualTo(202);
        JsonNode ticket = await().atMost(WAIT).until(() -> ticketFor("board", "900599"), t -> t != null);
        assertThat(ticket.get("title").asText()).isEqualTo(POSTS.get(10).subject());
    }

    @Test
    void anOfficialReplyThatAppearsOnALaterPollIsRecordedOnTheTicketAndNotEchoedBack() {
        String fid = "9006";
        BoardFixtures.Post post = POSTS.get(11);
        StubMapping open = stubForum(fid, "0", page(List.of(thread(900601, fid, post, "办理中", false))));
        stubForum(fid, "900601", PollingStubs.EMPTY_PAGE);
        JsonNode ticket = await().atMost(WAIT).until(() -> ticketFor("board", "900601"), t -> t != null);
        String ticketId = ticket.get("ticketId").asText();
        await().atMost(WAIT).until(() -> kinds(ticketId).contains("BOARD_STATE"));
        assertThat(jdbc.queryForObject("SELECT open FROM board_thread WHERE source = 'fid:9006' AND tid = 900601", Boolean.class)).isTrue();

        BOARD.removeStub(open);
        stubForum(fid, "0", page(List.of(thread(900601, fid, post, "已办理", true))));

        await().atMost(WAIT).until(() -> kinds(ticketId).contains("BOARD_REPLY"));
        JsonNode reply = null;
        for (JsonNode e : getJson("/api/v1/tickets/" + ticketId + "/history").get("items")) {
            if ("BOARD_REPLY".equals(e.get("kind").asText())) {
                reply = Json.read(e.get("detail").asText());
            }
        }
        assertThat(reply.get("stateInfo").asText()).isEqualTo("已办理");
        assertThat(reply.get("answerOrganization").asText()).isEqualTo("A市住房和城乡建设局");
        assertThat(reply.get("answerContent").asText()).startsWith(post.reply().strip().substring(0, 20));
        assertThat(jdbc.queryForObject("SELECT open FROM board_thread WHERE source = 'fid:9006' AND tid = 900601", Boolean.class)).isFalse();
        // the board's own reply is history, not a status change: nothing goes back to the board
        assertThat(ticketFor("board", "900601").get("status").asText()).isIn("RECEIVED", "FORWARDED");
        assertThat(BOARD.findAll(postRequestedFor(urlPathEqualTo("/board/reply")))
                .stream().filter(r -> "900601".equals(form(r).get("tid")))).isEmpty();
        assertThat(inboxRows("900601")).as("the changed thread is an update of the same item").isEqualTo(2);
    }

    @Test
    void aChinesePostOfTheFixturesReachesTheCaseSystemAndItsReplyReachesTheBoardWithTheThreadId() {
        String fid = "9007";
        BoardFixtures.Post post = BoardFixtures.postsWithReplies().get(1);
        stubForum(fid, "0", page(List.of(thread(900701, fid, post, "办理中", false))));
        stubForum(fid, "900701", PollingStubs.EMPTY_PAGE);

        JsonNode ticket = await().atMost(WAIT).until(() -> ticketFor("board", "900701"),
                t -> t != null && "FORWARDED".equals(t.get("status").asText()));
        String ticketId = ticket.get("ticketId").asText();
        List<LoggedRequest> sent = ticketsReceived(CASE_SYSTEM, ticketId);
        assertThat(sent).hasSize(1);
        JsonNode forwarded = Json.read(sent.get(0).getBodyAsString());
        assertThat(forwarded.get("title").asText()).isEqualTo("A3区潇楚南路洋湖段怎么还没修好？");
        assertThat(forwarded.get("content").asText()).startsWith("潇楚南路从2018年开始修").doesNotContain("\t").doesNotStartWith("\n");
        // posted 2019/4/24 16:03:40 Asia/Shanghai
        assertThat(forwarded.at("/origins/0/receivedAt").asText()).isEqualTo("2019-04-24T08:03:40Z");
        assertThat(forwarded.at("/origins/0/channel").asText()).isEqualTo("board");
        assertThat(forwarded.at("/origins/0/channelItemId").asText()).isEqualTo("900701");
        assertThat(forwarded.at("/origins/0/replyTarget/tid").asText()).isEqualTo("900701");
        assertThat(forwarded.at("/requester/name").asText()).isEqualTo("A00023583");

        HttpResponse<String> status = postStatus(ticketId, Json.write(Map.of("status", "REPLIED",
                "at", "2019-05-09T09:49:10+08:00", "reply", post.reply())));

        assertThat(status.statusCode()).isLessThan(300);
        LoggedRequest reply = await().atMost(WAIT).until(() -> BOARD.findAll(postRequestedFor(urlPathEqualTo("/board/reply"))).stream()
                .filter(r -> "900701".equals(form(r).get("tid"))).findFirst().orElse(null), r -> r != null);
        Map<String, String> form = form(reply);
        assertThat(form.get("fid")).isEqualTo("9007");
        assertThat(form.get("state")).isEqualTo("已办理");
        // a board reply is public: the citizen's name (here the user id A00023583) is masked (issue 8, point 9)
        assertThat(form.get("content")).isEqualTo(city.hotline.hub.relay.PublicReplyText.maskWithName(post.reply(), "A00023583"))
                .contains("A********").doesNotContain("A00023583");
        assertThat(form.get("ticketId")).isEqualTo(ticketId);
        assertThat(reply.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        await().atMost(WAIT).until(() -> getJson("/api/v1/tickets/" + ticketId + "/deliveries").get("items").get(0).get("state").asText(),
                "SENT"::equals);
        String metrics = get("/actuator/prometheus").body();
        assertThat(metrics).contains("hub_board_items_total{outcome=\"accepted\",source=\"fid:9007\"}")
                .contains("hub_board_polls_total{outcome=\"ok\",source=\"fid:9007\"}");
    }

    @Test
    void theExampleHtmlBoardIsScrapedFromGbkAndUtf8PagesAcrossItsPagination() {
        PollingStubs.serveCityBoard();

        await().atMost(WAIT).until(() -> watermark("html:city-board"), w -> w != null && w == 3791L);
        for (String tid : List.of("3791", "3788", "3756", "3755", "3747")) {
            await().atMost(WAIT).until(() -> ticketFor("board", "city-board:" + tid) != null);
        }
        JsonNode gbk = await().atMost(WAIT).until(() -> ticketFor("board", "city-board:3791"), t -> "FORWARDED".equals(t.get("status").asText()));
        assertThat(gbk.get("title").asText()).isEqualTo("咨询A市东六线（劳动东路-机场高粟）段目前建设进展");
        assertThat(gbk.at("/origins/0/receivedAt").asText()).isEqualTo("2018-12-20T09:28:09Z");
        assertThat(gbk.at("/origins/0/replyTarget").isMissingNode()).as("a scraped board has no reply API").isTrue();
        assertThat(gbk.get("content").asText()).doesNotContain("\t").doesNotContain("&nbsp;").doesNotContain("<br>").isNotBlank();
        JsonNode utf8 = ticketFor("board", "city-board:3755");
        assertThat(utf8.get("title").asText()).isEqualTo("希望A市社保卡、医保卡、居民健康卡尽快合一");
        assertThat(utf8.at("/requester/name").asText()).isEqualTo("UU0081681");
        String answered = ticketFor("board", "city-board:3747").get("ticketId").asText();
        await().atMost(WAIT).until(() -> kinds(answered).contains("BOARD_REPLY"));
        assertThat(jdbc.queryForObject("SELECT open FROM board_thread WHERE source = 'html:city-board' AND tid = 3791", Boolean.class)).isTrue();
    }

    // --- helpers

    private com.github.tomakehurst.wiremock.client.MappingBuilder forum(String fid, String lastItem) {
        return post(urlPathEqualTo("/threads/queryThreadsList")).atPriority(1)
                .withFormParam("fid", equalTo(fid)).withFormParam("lastItem", equalTo(lastItem));
    }

    private StubMapping stubForum(String fid, String lastItem, String body) {
        return BOARD.stubFor(forum(fid, lastItem).willReturn(okJson(body)));
    }

    private List<Map<String, String>> requests(String fid) {
        return BOARD.findAll(postRequestedFor(urlPathEqualTo("/threads/queryThreadsList"))).stream()
                .map(BoardPollingTest::form).filter(f -> fid.equals(f.get("fid"))).toList();
    }

    static Map<String, String> form(LoggedRequest r) {
        Map<String, String> m = new HashMap<>();
        for (String pair : r.getBodyAsString().split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    private Map<String, Object> cursor(String source) {
        return jdbc.queryForList("SELECT * FROM poll_cursor WHERE channel = 'board' AND source = ?", source).stream().findFirst().orElse(Map.of());
    }

    private Long watermark(String source) {
        return (Long) cursor(source).get("watermark");
    }

    private String lastError(String source) {
        return (String) cursor(source).get("last_error");
    }

    private int inboxRows(String itemId) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM inbox WHERE channel = 'board' AND channel_item_id = ?", Integer.class, itemId);
        return n == null ? 0 : n;
    }

    private List<String> kinds(String ticketId) {
        return getJson("/api/v1/tickets/" + ticketId + "/history").get("items").findValuesAsText("kind");
    }
}
