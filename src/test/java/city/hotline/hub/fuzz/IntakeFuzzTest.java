package city.hotline.hub.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import city.hotline.hub.channel.board.BoardApiPages;
import city.hotline.hub.channel.board.BoardProperties;
import city.hotline.hub.channel.board.HtmlBoardPages;
import city.hotline.hub.channel.weibo.WeiboPages;
import city.hotline.hub.channel.weixin.WeixinCrypto;
import city.hotline.hub.channel.weixin.WeixinPushReader;
import city.hotline.hub.intake.PollFailure;
import city.hotline.hub.intake.PolledPage;
import city.hotline.hub.store.InboxStore;
import city.hotline.hub.support.BoardFixtures;
import city.hotline.hub.support.HubIntegrationTest;
import city.hotline.hub.support.Mutations;
import city.hotline.hub.support.PollingStubs;
import city.hotline.hub.support.WeixinStubs;
import city.hotline.hub.ticket.Json;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 8, acceptance: a corpus-driven fuzz test per intake, 10,000 mutated payloads each, from
 * valid seeds (seeded, so a failure replays). Web form JSON and WeChat XML are sent over HTTP to
 * the running hub (8 at a time): every answer is 2xx or 4xx. (WeChat: all 10,000 through the push
 * reader the callback uses, and every tenth of them, 1,000, also over HTTP.) The polled channels' pages (board JSON,
 * board HTML list and detail pages, Weibo JSON) are fed to their parsers directly (the poller's
 * HTTP leg is a plain GET), which may only accept, reject an item, or fail the poll in the ways the
 * cursor handles; every item they accept is stored in the inbox as the poller would. Then, for
 * every intake: each stored item becomes a ticket or is quarantined (none stays pending), and
 * good items sent in between are forwarded.
 */
class IntakeFuzzTest extends HubIntegrationTest {

    private static final int PAYLOADS = 10_000;
    private static final int GOOD_EVERY = 1_000;

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    InboxStore inbox;
    @Autowired
    TransactionTemplate tx;

    @Test
    void webformJsonFuzzNeverGets5xxAndWhatIsAcceptedIsTicketedOrQuarantined() {
        long firstRow = lastInboxId();
        String run = run();
        Mutations m = new Mutations(8_001);
        List<String> seeds = BoardFixtures.postsWithReplies().stream().map(p -> p.asWebform("x", callbackUrl("fuzz"))).toList();
        List<String> good = new ArrayList<>();
        Map<Integer, AtomicInteger> answers = sendAll(PAYLOADS, i -> {
            if (i % GOOD_EVERY == 0) {
                String id = "fuzz-good-" + run + "-" + i;
                good.add(id);
                return webform("{\"externalId\":\"" + id + "\",\"content\":\"fuzz 间隙的正常件\"}");
            }
            com.fasterxml.jackson.databind.node.ObjectNode seed = Json.readObject(seeds.get(i % seeds.size()));
            seed.put("externalId", "fuzz-" + run + "-" + i);
            // most mutations break the syntax (answered 400 at once); a third keep it and reach the pipeline
            String body = m.random().nextInt(3) > 0 ? m.text(Json.write(seed)) : m.value(Json.write(seed));
            return webform(body);
        });

        assertNo5xx(answers, PAYLOADS);
        assertThat(answers.getOrDefault(202, new AtomicInteger()).get()).as("some mutations are accepted").isGreaterThan(500);
        assertThat(answers.getOrDefault(400, new AtomicInteger()).get()).as("some are refused").isGreaterThan(500);
        assertSettled(firstRow, "webform");
        assertForwarded("webform", good);
    }

    @Test
    void weixinXmlFuzzNeverGets5xxAndWhatIsAcceptedIsTicketedOrQuarantined() {
        long firstRow = lastInboxId();
        Mutations m = new Mutations(8_002);
        long now = Instant.now().getEpochSecond();
        long msgBase = 7_100_000_000_000_000_000L + (System.nanoTime() % 1_000_000_000L) * 1000;
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < PAYLOADS; i++) {
            long msgId = msgBase + i;
            String openId = "oFuzz" + (i % 50);
            String seed = switch (i % 3) {
                case 0 -> text(openId, msgId, "小区门口积水严重", now);
                case 1 -> "<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[" + openId + "]]></FromUserName>"
                        + "<CreateTime>" + now + "</CreateTime><MsgType><![CDATA[location]]></MsgType><Location_X>28.19</Location_X>"
                        + "<Location_Y>112.97</Location_Y><Scale>15</Scale><Label><![CDATA[A市A2区桂花坪街道]]></Label><MsgId>" + msgId + "</MsgId></xml>";
                default -> "<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[" + openId + "]]></FromUserName>"
                        + "<CreateTime>" + now + "</CreateTime><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[https://mmbiz.qpic.cn/x.jpg]]></PicUrl>"
                        + "<MediaId><![CDATA[media1]]></MediaId><MsgId>" + msgId + "</MsgId></xml>";
            };
            bodies.add(m.random().nextBoolean() ? m.text(seed) : seed.replace("小区门口积水严重", m.hostileString(1 + m.random().nextInt(200)))
                    .replace("A市A2区桂花坪街道", m.hostileString(1 + m.random().nextInt(50))));
        }
        // all 10,000 through the push reader the callback uses (signature, XML, XXE guard) ...
        WeixinPushReader reader = new WeixinPushReader(new WeixinCrypto(WeixinStubs.TOKEN, WeixinStubs.AES_KEY, WeixinStubs.APP_ID));
        int read = 0;
        for (String body : bodies) {
            try {
                reader.read(signedQuery(), body);
                read++;
            } catch (WeixinPushReader.Rejected r) {
                assertThat(r.status()).as(r.getMessage()).isBetween(400, 499);
            }
        }
        assertThat(read).isGreaterThan(1000);
        // ... and every tenth one (1,000) over HTTP to the running hub, with a good push every 250
        List<String> good = new ArrayList<>();
        Map<Integer, AtomicInteger> answers = sendAll(PAYLOADS / 10, i -> {
            if (i % 250 == 0) {
                long msgId = msgBase + PAYLOADS + i;
                good.add(WeixinStubs.APP_ID + ":" + msgId);
                return weixin(text("oFuzzGood", msgId, "路灯不亮，fuzz 间隙的正常件", now));
            }
            return weixin(bodies.get(i * 10));
        });

        assertNo5xx(answers, PAYLOADS / 10);
        assertThat(answers.getOrDefault(200, new AtomicInteger()).get()).as("some pushes are accepted").isGreaterThan(100);
        assertThat(answers.getOrDefault(400, new AtomicInteger()).get()).as("some are refused").isGreaterThan(100);
        assertSettled(firstRow, "weixin");
        assertForwarded("weixin", good);
    }

    private static Map<String, String> signedQuery() {
        String ts = String.valueOf(Instant.now().getEpochSecond());
        String nonce = UUID.randomUUID().toString().replace("-", "");
        return Map.of("signature", WeixinCrypto.sha1(WeixinStubs.TOKEN, ts, nonce), "timestamp", ts, "nonce", nonce, "openid", "x");
    }

    @Test
    void boardJsonAndHtmlFuzzOnlyAcceptsRejectsOrBacksOffAndWhatIsAcceptedIsTicketedOrQuarantined() throws IOException {
        long firstRow = lastInboxId();
        Mutations m = new Mutations(8_003);
        List<BoardFixtures.Post> posts = PollingStubs.boardThreads();
        long tidBase = 500_000_000L + (System.nanoTime() % 1_000_000L) * 1000;
        List<InboxStore.Delivery> accepted = new ArrayList<>();
        int pagesWithItems = 0;
        for (int i = 0; i < PAYLOADS; i++) {
            List<Object> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                threads.add(PollingStubs.thread(tidBase + i * 3L + t, "9001", posts.get((i + t) % posts.size()), "办理中", t == 0));
            }
            String seed = Json.write(Map.of("result", "success", "resultDesc", "", "responseData", threads));
            String body = m.random().nextBoolean() ? m.text(seed) : m.value(seed);
            try {
                PolledPage page = BoardApiPages.parse("9001", 200, body);
                if (!page.items().isEmpty()) {
                    pagesWithItems++;
                }
                for (PolledPage.Item item : page.items()) {
                    // every item the parser accepts is checked for a sane id; one page in ten is
                    // stored and taken through the pipeline (keeps the test near a minute)
                    assertThat(item.id()).isPositive();
                    if (i % 10 == 0) {
                        accepted.add(new InboxStore.Delivery("board", item.itemId(), item.payload().load()));
                    }
                }
            } catch (PollFailure backOff) {
                // a page the source backs off from: the cursor keeps its place
            }
        }
        assertThat(pagesWithItems).isGreaterThan(1000);
        assertThat(accepted).hasSizeGreaterThan(500);
        store(accepted);

        // scraped boards: list and detail pages (GBK and UTF-8) through the configured selectors
        BoardProperties.HtmlBoard board = new BoardProperties.HtmlBoard(true, "http://board.test/city/list.html",
                "table.threads tr.thread", "td.subject a", "tid=(\\d+)", "td.subject a", "td.date", "yyyy-MM-dd HH:mm:ss",
                "Asia/Shanghai", "td.state", "div.pager a.next",
                new BoardProperties.Detail("div.thread-body", "span.author", "div.reply div.reply-content", "div.reply div.reply-org"));
        String[] pages = {"list.html", "list-2.html", "detail-3747.html", "detail-3755.html", "detail-3791.html"};
        Map<String, String> html = new java.util.HashMap<>();
        for (String name : pages) {
            html.put(name, HtmlBoardPages.parse(saved(name), "text/html", "http://board.test/city/" + name).outerHtml());
        }
        int entries = 0;
        for (int i = 0; i < PAYLOADS; i++) {
            String name = pages[i % pages.length];
            String mutated = m.text(html.get(name));
            Document page = HtmlBoardPages.parse(mutated.getBytes(StandardCharsets.UTF_8), "text/html; charset=UTF-8", "http://board.test/city/" + name);
            if (name.startsWith("list")) {
                HtmlBoardPages.ListPage list = HtmlBoardPages.list(board, page);
                for (HtmlBoardPages.Entry e : list.entries()) {
                    assertThat(e.id()).isPositive();
                    entries++;
                }
            } else {
                HtmlBoardPages.detail(board.detail(), page);
            }
        }
        assertThat(entries).isGreaterThan(1000);

        assertSettled(firstRow, "board");
        assertThat(webform("{\"externalId\":\"fuzz-board-after-" + run() + "\",\"content\":\"still here\"}")).isNotNull();
        assertHealthy();
    }

    @Test
    void weiboJsonFuzzOnlyAcceptsRejectsOrBacksOffAndWhatIsAcceptedIsTicketedOrQuarantined() {
        long firstRow = lastInboxId();
        Mutations m = new Mutations(8_004);
        List<BoardFixtures.Post> posts = PollingStubs.boardThreads();
        long idBase = 4_990_000_000_000_000_000L + (System.nanoTime() % 1_000_000L) * 100_000;
        List<InboxStore.Delivery> accepted = new ArrayList<>();
        int malformed = 0;
        for (int i = 0; i < PAYLOADS; i++) {
            boolean comments = i % 2 == 0;
            List<String> items = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                long id = idBase + i * 3L + t;
                items.add("{\"created_at\":\"Fri Nov 27 12:00:01 +0800 2026\",\"id\":" + id + ",\"idstr\":\"" + id + "\",\"text\":"
                        + Json.write("@某市12345 " + posts.get((i + t) % posts.size()).subject() + " \u200b😡//@路人:转发微博")
                        + ",\"user\":{\"id\":1404376560,\"idstr\":\"1404376560\",\"screen_name\":\"市民\"}"
                        + (comments ? ",\"status\":{\"id\":4990000000000000001,\"idstr\":\"4990000000000000001\",\"text\":\"原微博\"}" : "") + "}");
            }
            String list = comments ? "comments" : "statuses";
            String seed = "{\"" + list + "\":[" + String.join(",", items) + "],\"total_number\":3}";
            String body = m.random().nextBoolean() ? m.text(seed) : m.value(seed);
            try {
                PolledPage page = WeiboPages.parse(list, 200, body, 3, null, java.time.Clock.systemUTC());
                for (PolledPage.Item item : page.items()) {
                    assertThat(item.id()).isPositive();
                    // one page in five is stored and taken through the pipeline (keeps the test under a minute)
                    if (i % 5 == 0) {
                        accepted.add(new InboxStore.Delivery("weibo", item.itemId(), item.payload().load()));
                    }
                }
            } catch (WeiboPages.Malformed e) {
                malformed++;
            } catch (PollFailure backOff) {
                // error answers (error_code) pause or back off the endpoint
            }
        }
        assertThat(malformed).isGreaterThan(1000);
        assertThat(accepted).hasSizeGreaterThan(1000);
        store(accepted);

        assertSettled(firstRow, "weibo");
        assertHealthy();
    }

    // --- helpers

    /** Sends PAYLOADS requests, 8 in flight; the answer status of each, counted. */
    private Map<Integer, AtomicInteger> sendAll(int count, IntFunction<HttpRequest> request) {
        Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> serverErrors = new ConcurrentLinkedQueue<>();
        Semaphore inFlight = new Semaphore(8);
        List<java.util.concurrent.CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpRequest r = request.apply(i);
            inFlight.acquireUninterruptibly();
            all.add(http.sendAsync(r, HttpResponse.BodyHandlers.ofString()).whenComplete((resp, e) -> {
                inFlight.release();
                int status = e != null ? -1 : resp.statusCode();
                answers.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                if (status >= 500 || status < 0) {
                    serverErrors.add(status + " " + (e != null ? e : resp.body()));
                }
            }));
        }
        all.forEach(f -> {
            try {
                f.join();
            } catch (RuntimeException ignored) {
                // counted above
            }
        });
        assertThat(serverErrors).as("5xx answers or failed requests").isEmpty();
        return answers;
    }

    private static void assertNo5xx(Map<Integer, AtomicInteger> answers, int count) {
        assertThat(answers.keySet()).as("answer statuses " + answers).allMatch(s -> s >= 200 && s < 500);
        assertThat(answers.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(count);
    }

    private HttpRequest webform(String body) {
        return HttpRequest.newBuilder(URI.create(url("/api/v1/intake/webform"))).header("Content-Type", "application/json")
                .header("X-Api-Key", API_KEY).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }

    private HttpRequest weixin(String body) {
        String ts = String.valueOf(Instant.now().getEpochSecond());
        String nonce = UUID.randomUUID().toString().replace("-", "");
        String query = "signature=" + WeixinCrypto.sha1(WeixinStubs.TOKEN, ts, nonce) + "&timestamp=" + ts + "&nonce=" + nonce + "&openid=x";
        return HttpRequest.newBuilder(URI.create(url("/channels/weixin/callback?" + query))).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }

    private static String text(String openId, long msgId, String content, long createTime) {
        return "<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[" + openId
                + "]]></FromUserName><CreateTime>" + createTime + "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA["
                + content + "]]></Content><MsgId>" + msgId + "</MsgId></xml>";
    }

    private void store(List<InboxStore.Delivery> deliveries) {
        for (int from = 0; from < deliveries.size(); from += 500) {
            List<InboxStore.Delivery> batch = deliveries.subList(from, Math.min(deliveries.size(), from + 500));
            tx.executeWithoutResult(s -> inbox.acceptAll(batch));
        }
    }

    private long lastInboxId() {
        Long id = jdbc.queryForObject("SELECT max(id) FROM inbox", Long.class);
        return id == null ? 0 : id;
    }

    /** Every item stored since {@code firstRow} became a ticket or was quarantined with a reason; none is left pending. */
    private void assertSettled(long firstRow, String channel) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM inbox WHERE id > ? AND channel = ? AND state = 'PENDING'", Long.class, firstRow, channel) == 0);
        long quarantined = jdbc.queryForObject("SELECT count(*) FROM inbox WHERE id > ? AND channel = ? AND state = 'QUARANTINED'", Long.class, firstRow, channel);
        long withReason = jdbc.queryForObject("""
                SELECT count(*) FROM inbox i WHERE i.id > ? AND i.channel = ? AND i.state = 'QUARANTINED'
                AND EXISTS (SELECT 1 FROM quarantine q WHERE q.ref_id = i.id AND q.stage = 'MAPPING' AND q.reason <> '')""", Long.class, firstRow, channel);
        assertThat(withReason).as("quarantined items with their reason").isEqualTo(quarantined);
        long done = jdbc.queryForObject("SELECT count(*) FROM inbox WHERE id > ? AND channel = ? AND state = 'DONE'", Long.class, firstRow, channel);
        assertThat(done).as("items ticketed").isPositive();
    }

    private void assertForwarded(String channel, List<String> good) {
        await().atMost(Duration.ofSeconds(60)).until(() -> good.stream().allMatch(id -> {
            var t = ticketFor(channel, id);
            return t != null && "FORWARDED".equals(t.get("status").asText());
        }));
        assertHealthy();
    }

    private void assertHealthy() {
        assertThat(health().at("/components/db/status").asText()).isEqualTo("UP");
        String id = "fuzz-after-" + run();
        assertThat(postJson("/api/v1/intake/webform", "{\"externalId\":\"" + id + "\",\"content\":\"之后的正常件\"}").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var t = ticketFor("webform", id);
            return t != null && "FORWARDED".equals(t.get("status").asText());
        });
    }

    private static byte[] saved(String name) throws IOException {
        try (InputStream in = IntakeFuzzTest.class.getResourceAsStream("/fixtures/polling/city-board/" + name)) {
            return in.readAllBytes();
        }
    }

    private static String run() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
