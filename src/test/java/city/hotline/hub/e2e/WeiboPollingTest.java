package city.hotline.hub.e2e;

import static city.hotline.hub.support.CaseSystemStub.ticketsReceived;
import static city.hotline.hub.support.PollingStubs.WEIBO;
import static city.hotline.hub.support.PollingStubs.WEIBO_TOKEN;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import com.github.tomakehurst.wiremock.client.WireMock;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import city.hotline.hub.channel.weibo.WeiboAuth;
import city.hotline.hub.support.BoardFixtures;
import city.hotline.hub.support.HubIntegrationTest;
import city.hotline.hub.support.PollingStubs;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The Weibo poller against a WireMock Weibo API (channels.md §2). The hub under test asks for
 * pages of 3 ({@code count=3}). Every test starts from fresh cursors (the poll route is stopped,
 * the cursor rows removed, the route started again) and uses its own range of long ids.
 */
class WeiboPollingTest extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String STATUSES = "/2/statuses/mentions.json";
    private static final String COMMENTS = "/2/comments/mentions.json";
    private static final List<BoardFixtures.Post> POSTS = PollingStubs.boardThreads();

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CamelContext camel;
    @Autowired
    WeiboAuth auth;

    @BeforeEach
    void freshCursors() throws Exception {
        camel.getRouteController().stopRoute("weibo-poll");
        jdbc.update("DELETE FROM poll_cursor WHERE channel = 'weibo'");
        WEIBO.resetAll();
        PollingStubs.weiboDefaults();
        auth.reauthorised(WEIBO_TOKEN);
        camel.getRouteController().startRoute("weibo-poll");
    }

    @Test
    void mentionsArePagedWithMaxIdAndARestartContinuesFromTheSinceIdCursorWithoutGapOrRepeat() throws Exception {
        long base = 4_987_654_321_098_765_000L;
        // first run: the newest page is full (3), the older page (max_id below its lowest id) is short
        stub(STATUSES, null, null, statuses(base + 5, base + 4, base + 3));
        stub(STATUSES, null, String.valueOf(base + 2), statuses(base + 2, base + 1));

        await().atMost(WAIT).until(() -> watermark("statuses/mentions"), w -> w != null && w == base + 5);
        for (long id = base + 1; id <= base + 5; id++) {
            assertThat(inboxRows(String.valueOf(id))).as("status %s stored once", id).isEqualTo(1);
        }
        JsonNode ticket = await().atMost(WAIT).until(() -> ticketFor("weibo", String.valueOf(base + 5)), t -> t != null);
        assertThat(ticket.at("/origins/0/channelItemId").asText()).as("an id past 2^53, exact").isEqualTo("4987654321098765005");

        camel.getRouteController().stopRoute("weibo-poll");
        try {
            assertThat(watermark("statuses/mentions")).isEqualTo(base + 5);
            // overlapping answer: Weibo returns base+5 again next to two new ones
            stub(STATUSES, String.valueOf(base + 5), null, statuses(base + 7, base + 6, base + 5));
            stub(STATUSES, String.valueOf(base + 5), String.valueOf(base + 4), "{\"statuses\":[]}");
        } finally {
            camel.getRouteController().startRoute("weibo-poll");
        }

        await().atMost(WAIT).until(() -> watermark("statuses/mentions"), w -> w == base + 7);
        for (long id = base + 1; id <= base + 7; id++) {
            assertThat(inboxRows(String.valueOf(id))).as("status %s stored once", id).isEqualTo(1);
        }
        assertThat(WEIBO.findAll(getRequestedFor(urlPathEqualTo(STATUSES))))
                .allSatisfy(r -> assertThat(r.queryParameter("access_token").firstValue()).isEqualTo(WEIBO_TOKEN))
                .noneSatisfy(r -> assertThat(r.queryParameter("page").isPresent()).isTrue());
    }

    @Test
    void aRateLimitInTheMiddleOfARunPausesThatEndpointKeepsTheCursorAndTheOtherEndpointGoesOn() {
        long base = 4_987_654_321_098_766_000L;
        stub(STATUSES, null, null, statuses(base + 6, base + 5, base + 4));
        StubMapping limited = WEIBO.stubFor(request(STATUSES, null, String.valueOf(base + 3)).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"User requests out of rate limit!\",\"error_code\":10023,\"request\":\"/2/statuses/mentions.json\"}")));

        await().atMost(WAIT).until(() -> cursor("statuses/mentions"), c -> c.get("pause_reason") != null
                && ((String) c.get("pause_reason")).contains("10023"));
        Map<String, Object> paused = cursor("statuses/mentions");
        assertThat(paused.get("watermark")).as("cursor unchanged").isNull();
        assertThat(paused.get("run_resume")).isEqualTo(String.valueOf(base + 3));
        assertThat(((Timestamp) paused.get("next_poll_at")).toInstant()).isAfter(Instant.now());
        Instant pausedUntil = ((Timestamp) paused.get("next_poll_at")).toInstant();
        // the comments endpoint is not paused
        stub(COMMENTS, null, null, comments(base + 100, base + 50));
        await().atMost(WAIT).until(() -> ticketFor("weibo", String.valueOf(base + 100)) != null);
        assertThat(health().at("/components/weibo/details/endpoints/statuses~1mentions/pauseReason").asText()).contains("10023");
        if (Instant.now().isBefore(pausedUntil)) {
            assertThat(WEIBO.findAll(getRequestedFor(urlPathEqualTo(STATUSES)).withQueryParam("max_id", equalTo(String.valueOf(base + 3)))))
                    .as("the paused endpoint is not asked again during its pause").hasSize(1);
        }

        WEIBO.removeStub(limited);
        stub(STATUSES, null, String.valueOf(base + 3), statuses(base + 3, base + 2));

        await().atMost(WAIT).until(() -> watermark("statuses/mentions"), w -> w != null && w == base + 6);
        for (long id = base + 2; id <= base + 6; id++) {
            assertThat(inboxRows(String.valueOf(id))).as("status %s stored once", id).isEqualTo(1);
        }
    }

    @Test
    void anExpiredTokenInTheMiddleOfARunStopsPollingForReauthorisationAndLosesNothing() {
        long base = 4_987_654_321_098_767_000L;
        stub(STATUSES, null, null, statuses(base + 6, base + 5, base + 4));
        StubMapping expired = WEIBO.stubFor(request(STATUSES, null, String.valueOf(base + 3)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"expired_token\",\"error_code\":21327,\"request\":\"/2/statuses/mentions.json\"}")));

        await().atMost(WAIT).until(() -> health().at("/components/weibo/status").asText(), "DOWN"::equals);
        assertThat(health().at("/components/weibo/details/problem").asText()).isEqualTo("re-authorisation needed");
        assertThat(health().at("/components/weibo/details/reason").asText()).contains("21327");
        // no retry loop: nothing more is asked of Weibo while the token is gone
        int asked = WEIBO.findAll(getRequestedFor(urlPathEqualTo(STATUSES))).size() + WEIBO.findAll(getRequestedFor(urlPathEqualTo(COMMENTS))).size();
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() ->
                WEIBO.findAll(getRequestedFor(urlPathEqualTo(STATUSES))).size() + WEIBO.findAll(getRequestedFor(urlPathEqualTo(COMMENTS))).size() == asked);
        assertThat(cursor("statuses/mentions").get("run_resume")).isEqualTo(String.valueOf(base + 3));
        assertThat(cursor("statuses/mentions").get("watermark")).isNull();

        WEIBO.removeStub(expired);
        WEIBO.stubFor(request(STATUSES, null, String.valueOf(base + 3)).withQueryParam("access_token", equalTo("new-token"))
                .willReturn(okJson(statuses(base + 3, base + 2))));
        HttpResponse<String> reauthorised = postJson("/api/v1/channels/weibo/token", "{\"accessToken\":\"new-token\"}");

        assertThat(reauthorised.statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> watermark("statuses/mentions"), w -> w != null && w == base + 6);
        for (long id = base + 2; id <= base + 6; id++) {
            assertThat(inboxRows(String.valueOf(id))).as("status %s stored once", id).isEqualTo(1);
        }
        assertThat(health().at("/components/weibo/status").asText()).isEqualTo("UP");
    }

    @Test
    void aMalformedAnswerIsQuarantinedOnceAndPollingGoesOn() {
        long base = 4_987_654_321_098_768_000L;
        // the wiki's sample: source HTML with unescaped quotes (B-08)
        String wiki = "{\"comments\":[{\"created_at\":\"Wed Jun 01 00:50:25 +0800 2011\",\"id\":" + (base + 9) + ",\"idstr\":\"" + (base + 9)
                + "\",\"text\":\"love your work\",\"source\":\"<a href=\"http://weibo.com\" rel=\"nofollow\">新浪微博</a>\"}]}";
        WEIBO.stubFor(request(COMMENTS, null, null).willReturn(okJson(wiki)));
        stub(STATUSES, null, null, statuses(base + 2, base + 1));

        await().atMost(WAIT).until(() -> ticketFor("weibo", String.valueOf(base + 2)) != null);
        await().atMost(WAIT).until(() -> ((Number) cursor("comments/mentions").getOrDefault("failures", 0)).intValue() >= 3);
        List<Map<String, Object>> quarantined = jdbc.queryForList(
                "SELECT id, stage, reason, payload FROM quarantine WHERE channel = 'weibo' AND payload = ?", wiki);
        assertThat(quarantined).as("quarantined once, though fetched again").hasSize(1);
        assertThat(quarantined.get(0).get("stage")).isEqualTo("INTAKE");
        assertThat((String) quarantined.get(0).get("reason")).contains("comments/mentions").contains("malformed");
        assertThat(cursor("comments/mentions").get("watermark")).isNull();
        assertThat(postJson("/api/v1/quarantine/" + quarantined.get(0).get("id") + "/replay", "{}").statusCode()).isEqualTo(422);
    }

    @Test
    void aReplyToACommentGoesToCommentsReplyWithCidAndIdAndIsCutTo140CharactersWithALink() {
        long base = 4_987_654_321_098_769_000L;
        stub(COMMENTS, null, null, comments(base + 1, base + 500));
        JsonNode ticket = await().atMost(WAIT).until(() -> ticketFor("weibo", String.valueOf(base + 1)),
                t -> t != null && "FORWARDED".equals(t.get("status").asText()));
        String ticketId = ticket.get("ticketId").asText();
        JsonNode forwarded = Json.read(ticketsReceived(CASE_SYSTEM, ticketId).get(0).getBodyAsString());
        assertThat(forwarded.get("content").asText()).isEqualTo("@某市12345 " + POSTS.get(0).subject() + " 😡");
        assertThat(forwarded.at("/origins/0/receivedAt").asText()).isEqualTo("2026-11-27T04:00:01Z");
        assertThat(forwarded.at("/origins/0/replyTarget/cid").asText()).isEqualTo(String.valueOf(base + 1));
        assertThat(forwarded.at("/origins/0/replyTarget/id").asText()).isEqualTo(String.valueOf(base + 500));

        String longReply = POSTS.get(0).reply().strip();
        assertThat(longReply.codePointCount(0, longReply.length())).isGreaterThan(140);
        postStatus(ticketId, Json.write(Map.of("status", "REPLIED", "at", "2026-11-28T10:00:00+08:00", "reply", longReply)));

        LoggedRequest reply = await().atMost(WAIT).until(() -> WEIBO.findAll(postRequestedFor(urlPathEqualTo("/2/comments/reply.json")))
                .stream().filter(r -> String.valueOf(base + 1).equals(BoardPollingTest.form(r).get("cid"))).findFirst().orElse(null), r -> r != null);
        Map<String, String> form = BoardPollingTest.form(reply);
        assertThat(form.get("id")).isEqualTo(String.valueOf(base + 500));
        assertThat(form.get("rip")).isEqualTo(PollingStubs.WEIBO_RIP);
        assertThat(form.get("access_token")).isEqualTo(WEIBO_TOKEN);
        String comment = form.get("comment");
        assertThat(comment.codePointCount(0, comment.length())).isEqualTo(140);
        assertThat(comment).startsWith(longReply.substring(0, 10)).endsWith("… " + PollingStubs.FULL_REPLY_URL + ticketId);
        await().atMost(WAIT).until(() -> delivery(ticketId).get("state").asText(), "SENT"::equals);
    }

    @Test
    void aReplyToAPostGoesToCommentsCreateAndTheSameContentAgainCountsAsDelivered() {
        long base = 4_987_654_321_098_770_000L;
        stub(STATUSES, null, null, statuses(base + 1));
        String ticketId = await().atMost(WAIT).until(() -> ticketFor("weibo", String.valueOf(base + 1)),
                t -> t != null && "FORWARDED".equals(t.get("status").asText())).get("ticketId").asText();
        WEIBO.stubFor(post(urlPathEqualTo("/2/comments/create.json")).atPriority(1).withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("id=" + (base + 1)))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"repeat conetnt!\",\"error_code\":20019,\"request\":\"/2/comments/create.json\"}")));

        postStatus(ticketId, Json.write(Map.of("status", "ACCEPTED", "at", "2026-11-28T10:00:00+08:00")));

        await().atMost(WAIT).until(() -> delivery(ticketId).get("state").asText(), "SENT"::equals);
        LoggedRequest sent = WEIBO.findAll(postRequestedFor(urlPathEqualTo("/2/comments/create.json"))).stream()
                .filter(r -> String.valueOf(base + 1).equals(BoardPollingTest.form(r).get("id"))).findFirst().orElseThrow();
        assertThat(BoardPollingTest.form(sent).get("comment")).isEqualTo("您反映的问题已受理，工单号" + ticketId + "。");
        assertThat(BoardPollingTest.form(sent)).doesNotContainKey("cid");
    }

    @Test
    void aReplyToADeletedPostFailsWithoutRetry() {
        long base = 4_987_654_321_098_771_000L;
        stub(STATUSES, null, null, statuses(base + 1));
        String ticketId = await().atMost(WAIT).until(() -> ticketFor("weibo", String.valueOf(base + 1)),
                t -> t != null && "FORWARDED".equals(t.get("status").asText())).get("ticketId").asText();
        WEIBO.stubFor(post(urlPathEqualTo("/2/comments/create.json")).atPriority(1).withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("id=" + (base + 1)))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"target weibo does not exist!\",\"error_code\":\"20101\",\"request\":\"/2/comments/create.json\"}")));

        postStatus(ticketId, Json.write(Map.of("status", "REPLIED", "at", "2026-11-28T10:00:00+08:00", "reply", "已处理")));

        JsonNode d = await().atMost(WAIT).until(() -> delivery(ticketId), x -> "FAILED".equals(x.get("state").asText()));
        assertThat(d.get("attempts").asInt()).isEqualTo(1);
        assertThat(d.get("lastError").asText()).contains("20101");
    }

    @Test
    void aPageShorterThanCountIsNotTheEndBecauseWeiboFiltersDeletedPosts() {
        long base = 4_987_654_321_098_772_000L;
        // count=3, but Weibo returned 2 (a deleted post was dropped): older mentions still follow
        stub(STATUSES, null, null, statuses(base + 9, base + 7));
        stub(STATUSES, null, String.valueOf(base + 6), statuses(base + 5, base + 4, base + 3));
        stub(STATUSES, null, String.valueOf(base + 2), statuses(base + 1));

        await().atMost(WAIT).until(() -> watermark("statuses/mentions"), w -> w != null && w == base + 9);
        for (long id : new long[] {base + 1, base + 3, base + 4, base + 5, base + 7, base + 9}) {
            assertThat(inboxRows(String.valueOf(id))).as("status %s stored", id).isEqualTo(1);
        }
    }

    @Test
    void aPageWhoseItemsAreAllRejectedDoesNotMoveTheWatermarkPastOlderUnreadItems() {
        long base = 4_987_654_321_098_773_000L;
        stub(STATUSES, null, null, statuses(base + 9, base + 8, base + 7));
        // the second page: every item unreadable (no text, a bad time)
        stub(STATUSES, null, String.valueOf(base + 6), "{\"statuses\":[{\"idstr\":\"" + (base + 6) + "\",\"text\":\"x\",\"created_at\":\"yesterday\"},"
                + "{\"idstr\":\"" + (base + 5) + "\",\"text\":\"\",\"created_at\":\"Fri Nov 27 12:00:01 +0800 2026\"},"
                + "{\"idstr\":\"" + (base + 4) + "\",\"text\":\"y\",\"created_at\":\"never\"}]}");
        stub(STATUSES, null, String.valueOf(base + 3), statuses(base + 3, base + 2));

        await().atMost(WAIT).until(() -> watermark("statuses/mentions"), w -> w != null && w == base + 9);
        assertThat(inboxRows(String.valueOf(base + 3))).as("the older unread item behind the rejected page").isEqualTo(1);
        assertThat(inboxRows(String.valueOf(base + 2))).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM quarantine WHERE channel = 'weibo' AND payload LIKE ?", Long.class,
                "%" + (base + 6) + "%")).isEqualTo(1);
    }

    @Test
    void anOlderPageThatStaysMalformedIsSkippedWithItsRangeRecordedAndCanBeReadAgainByReplay() {
        long base = 4_987_654_321_098_774_000L;
        stub(STATUSES, null, null, statuses(base + 9, base + 8, base + 7));
        StubMapping broken = WEIBO.stubFor(request(STATUSES, null, String.valueOf(base + 6))
                .willReturn(okJson("{\"statuses\":[{\"idstr\":\"" + (base + 6) + "\",\"text\":\"cut off")));

        // after three malformed answers the run ends above the page: the newer items are taken, the source polls on
        await().atMost(WAIT).until(() -> watermark("statuses/mentions"), w -> w != null && w == base + 9);
        Map<String, Object> skip = await().atMost(WAIT).until(() -> jdbc.queryForList(
                "SELECT id, reason, payload FROM quarantine WHERE channel = 'weibo' AND reason LIKE ?", "%skipped range%max_id=" + (base + 6) + "%")
                .stream().findFirst().orElse(null), q -> q != null);
        assertThat((String) skip.get("reason")).contains("statuses/mentions").contains("since_id=none max_id=" + (base + 6));
        assertThat((String) skip.get("payload")).contains("cut off");
        assertThat(inboxRows(String.valueOf(base + 5))).isZero();
        long later = base + 20;
        stub(STATUSES, String.valueOf(base + 9), null, statuses(later));
        await().atMost(WAIT).until(() -> watermark("statuses/mentions"), w -> w == later);

        // Weibo answers properly again: the operator replays the skip and the range is read again
        WEIBO.removeStub(broken);
        stub(STATUSES, null, String.valueOf(base + 6), statuses(base + 6, base + 5, base + 4));
        stub(STATUSES, null, String.valueOf(base + 3), statuses(base + 3));
        HttpResponse<String> replay = postJson("/api/v1/quarantine/" + skip.get("id") + "/replay", "{}");
        assertThat(replay.statusCode()).as(replay.body()).isBetween(200, 299);
        for (long id = base + 3; id <= base + 6; id++) {
            assertThat(inboxRows(String.valueOf(id))).as("status %s read again", id).isEqualTo(1);
        }
    }

    // --- helpers

    private static String statuses(long... ids) {
        List<String> items = new ArrayList<>();
        for (long id : ids) {
            BoardFixtures.Post p = POSTS.get((int) (id % POSTS.size()));
            items.add("{\"created_at\":\"Fri Nov 27 12:00:01 +0800 2026\",\"id\":" + id + ",\"idstr\":\"" + id + "\",\"mid\":\"" + id
                    + "\",\"text\":" + Json.write("@某市12345 " + p.subject() + " \u200b😡//@路人:转发微博") + ",\"source\":\"<a href=\\\"http://weibo.com\\\" rel=\\\"nofollow\\\">新浪微博</a>\","
                    + "\"reposts_count\":8,\"comments_count\":9,\"user\":{\"id\":1404376560,\"idstr\":\"1404376560\",\"screen_name\":\"市民" + (id % 100) + "\"}}");
        }
        return "{\"statuses\":[" + String.join(",", items) + "],\"total_number\":" + ids.length + "}";
    }

    /** One comment {@code id} on the post {@code statusId}. */
    private static String comments(long id, long statusId) {
        BoardFixtures.Post p = POSTS.get(0);
        return "{\"comments\":[{\"created_at\":\"Fri Nov 27 12:00:01 +0800 2026\",\"id\":" + id + ",\"idstr\":\"" + id + "\",\"text\":"
                + Json.write("@某市12345 " + p.subject() + " 😡") + ",\"user\":{\"id\":1766897961,\"idstr\":\"1766897961\",\"screen_name\":\"评论者\"},"
                + "\"status\":{\"id\":" + statusId + ",\"idstr\":\"" + statusId + "\",\"text\":\"原微博\"}}],\"total_number\":1}";
    }

    private static MappingBuilder request(String path, String sinceId, String maxId) {
        return WireMock.get(urlPathEqualTo(path)).atPriority(1)
                .withQueryParam("since_id", sinceId == null ? absent() : equalTo(sinceId))
                .withQueryParam("max_id", maxId == null ? absent() : equalTo(maxId));
    }

    private static void stub(String path, String sinceId, String maxId, String body) {
        WEIBO.stubFor(request(path, sinceId, maxId).willReturn(okJson(body)));
    }

    private Map<String, Object> cursor(String source) {
        return jdbc.queryForList("SELECT * FROM poll_cursor WHERE channel = 'weibo' AND source = ?", source).stream().findFirst().orElse(Map.of());
    }

    private Long watermark(String source) {
        return (Long) cursor(source).get("watermark");
    }

    private int inboxRows(String itemId) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM inbox WHERE channel = 'weibo' AND channel_item_id = ?", Integer.class, itemId);
        return n == null ? 0 : n;
    }

    private JsonNode delivery(String ticketId) {
        JsonNode items = getJson("/api/v1/tickets/" + ticketId + "/deliveries").get("items");
        return items.isEmpty() ? Json.read("{\"state\":\"NONE\"}") : items.get(0);
    }
}
