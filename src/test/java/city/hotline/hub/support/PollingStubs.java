package city.hotline.hub.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import city.hotline.hub.ticket.Json;
import city.hotline.hub.ticket.MappingFunctions;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * WireMock stand-ins for the polled channels: a leader message board (JSON API per forum, the
 * example HTML board's saved pages, the reply endpoint) and the Weibo API. Built from the formats
 * of channels.md §2/§3 and rows of the public message-board data set. Each board test scenario
 * polls its own forum id, so scenarios never share a cursor.
 */
public final class PollingStubs {

    public static final WireMockServer BOARD = new WireMockServer(options().dynamicPort());
    public static final WireMockServer WEIBO = new WireMockServer(options().dynamicPort());
    public static final String WEIBO_TOKEN = "test-weibo-token";
    public static final String WEIBO_RIP = "211.156.0.1";
    public static final String FULL_REPLY_URL = "https://12345.test/replies/";
    /** Forum ids polled by the hub under test: 9001 … 9009. */
    public static final List<String> FORUMS = List.of("9001", "9002", "9003", "9004", "9005", "9006", "9007", "9008", "9009");
    public static final String EMPTY_PAGE = "{\"result\":\"success\",\"resultDesc\":\"\",\"responseData\":[]}";

    static {
        BOARD.start();
        WEIBO.start();
        boardDefaults();
        weiboDefaults();
    }

    private PollingStubs() {
    }

    /** The lines HubIntegrationTest.hubProperties adds for the polled channels. */
    public static void register(DynamicPropertyRegistry r) {
        r.add("hub.channels.board.enabled", () -> "true");
        r.add("hub.channels.board.api-base-url", BOARD::baseUrl);
        r.add("hub.channels.board.forums", () -> String.join(",", FORUMS));
        r.add("hub.channels.board.poll-interval", () -> "150ms");
        r.add("hub.channels.board.initial-delay", () -> "200");
        // the fixture posts are from 2018/2019
        r.add("hub.channels.board.backfill", () -> "3650d");
        r.add("hub.channels.board.recheck-interval", () -> "300ms");
        r.add("hub.channels.board.reply-url", () -> BOARD.baseUrl() + "/board/reply");
        r.add("hub.channels.board.backoff.initial-delay", () -> "200ms");
        r.add("hub.channels.board.backoff.max-delay", () -> "1s");
        r.add("hub.channels.board.html-boards.city-board.enabled", () -> "true");
        r.add("hub.channels.board.html-boards.city-board.list-url", () -> BOARD.baseUrl() + "/city/list.html");
        r.add("hub.channels.weibo.enabled", () -> "true");
        r.add("hub.channels.weibo.api-base-url", WEIBO::baseUrl);
        r.add("hub.channels.weibo.access-token", () -> WEIBO_TOKEN);
        r.add("hub.channels.weibo.poll-interval", () -> "150ms");
        r.add("hub.channels.weibo.initial-delay", () -> "200");
        r.add("hub.channels.weibo.rip", () -> WEIBO_RIP);
        r.add("hub.channels.weibo.rate-limit-pause", () -> "1500ms");
        r.add("hub.channels.weibo.count", () -> "3");
        r.add("hub.channels.weibo.full-reply-url", () -> FULL_REPLY_URL);
        r.add("hub.channels.weibo.backoff.initial-delay", () -> "200ms");
        r.add("hub.channels.weibo.backoff.max-delay", () -> "1s");
    }

    /** The board API's answer to one forum's request for the page after {@code lastItem} ("0": the first page). */
    public static com.github.tomakehurst.wiremock.stubbing.StubMapping stubForum(String fid, String lastItem, String body) {
        return BOARD.stubFor(post(urlPathEqualTo("/threads/queryThreadsList")).atPriority(1)
                .withFormParam("fid", com.github.tomakehurst.wiremock.client.WireMock.equalTo(fid))
                .withFormParam("lastItem", com.github.tomakehurst.wiremock.client.WireMock.equalTo(lastItem))
                .willReturn(okJson(body)));
    }

    public static void boardDefaults() {
        BOARD.stubFor(post(urlPathEqualTo("/threads/queryThreadsList")).atPriority(100).willReturn(okJson(EMPTY_PAGE)));
        BOARD.stubFor(post(urlPathEqualTo("/board/reply")).atPriority(100).willReturn(okJson("{\"result\":\"success\"}")));
    }

    /**
     * Serves the saved pages of the example HTML board (until then its polls get 404 and back off):
     * called by the test that expects its threads, so no ticket is forwarded before the case-system
     * stub is ready.
     */
    public static void serveCityBoard() {
        for (String page : List.of("list.html", "list-2.html", "detail-3791.html", "detail-3788.html", "detail-3756.html",
                "detail-3755.html", "detail-3747.html")) {
            BOARD.stubFor(get(urlPathEqualTo("/city/" + page)).atPriority(100)
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody(resource("/fixtures/polling/city-board/" + page))));
        }
    }

    public static void weiboDefaults() {
        WEIBO.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/2/statuses/mentions.json")).atPriority(100)
                .willReturn(okJson("{\"statuses\":[],\"total_number\":0}")));
        WEIBO.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/2/comments/mentions.json")).atPriority(100)
                .willReturn(okJson("{\"comments\":[],\"total_number\":0}")));
        WEIBO.stubFor(post(urlPathMatching("/2/comments/(reply|create)\\.json")).atPriority(100)
                .willReturn(okJson("{\"created_at\":\"Sat Nov 28 10:00:00 +0800 2026\",\"id\":5000000000000000001,\"idstr\":\"5000000000000000001\",\"text\":\"ok\"}")));
    }

    /** Rows 3683–3791 of messages-with-replies.csv (fixtures/polling/board-threads.csv). */
    public static List<BoardFixtures.Post> boardThreads() {
        return BoardFixtures.read("/fixtures/polling/board-threads.csv");
    }

    /** A thread as the board's API lists it; {@code state} 办理中 / 已办理, the official reply only when given. */
    public static Map<String, Object> thread(long tid, String fid, BoardFixtures.Post post, String state, boolean answered) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("tid", tid);
        t.put("fid", Long.parseLong(fid));
        t.put("subject", post.subject());
        t.put("content", post.body());
        t.put("nickName", post.user());
        t.put("dateline", epochSeconds(post.time()));
        t.put("domainName", "城建");
        t.put("typeName", "投诉");
        t.put("stateInfo", state);
        if (answered) {
            t.put("answerOrganization", "A市住房和城乡建设局");
            t.put("answerContent", post.reply());
        }
        return t;
    }

    public static String page(List<Map<String, Object>> threads) {
        return Json.write(Map.of("result", "success", "resultDesc", "", "responseData", threads));
    }

    /** A fixture time (Asia/Shanghai wall clock) as the board's epoch seconds. */
    public static long epochSeconds(String shanghaiTime) {
        String t = shanghaiTime.replace('-', '/');
        return Instant.parse(MappingFunctions.utc(t)).getEpochSecond();
    }

    static byte[] resource(String path) {
        try (InputStream in = PollingStubs.class.getResourceAsStream(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
