package city.hotline.hub.onboarding;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import city.hotline.hub.store.PollCursorStore;
import city.hotline.hub.support.HubIntegrationTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;

/** Issue 14: the html-board and jms connector kinds, each as a channel made of three files. */
class MoreKindsChannelTest extends HubIntegrationTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    CamelContext camel;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PollCursorStore cursors;
    @Autowired
    JmsTemplate jms;

    @Test
    void aScrapedBoardBecomesTicketsWithTheDetailPagesContentAndQuarantinesARowWithoutAThreadId() throws Exception {
        Charset gbk = Charset.forName("GBK");
        CALLBACKS.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/xicheng/list.html"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html; charset=GBK").withBody("""
                        <html><body><table class="threads">
                        <tr class="thread"><td class="subject"><a href="/xicheng/thread?tid=502">楼道堆放杂物</a></td><td class="date">2026-11-30 08:10:00</td><td class="state">待回复</td></tr>
                        <tr class="thread"><td class="subject"><a href="/xicheng/thread?tid=501">噪音扰民</a></td><td class="date">2026-11-29 21:00:00</td><td class="state">办理中</td></tr>
                        <tr class="thread"><td class="subject"><a href="/xicheng/notice">置顶公告 no-thread-id-marker</a></td><td class="date">2026-11-01 00:00:00</td></tr>
                        </table></body></html>""".getBytes(gbk))));
        for (String tid : List.of("501", "502")) {
            CALLBACKS.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/xicheng/thread"))
                    .withQueryParam("tid", equalTo(tid))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html; charset=GBK").withBody(("""
                            <html><body><div class="thread-body"><p>帖子%s的内容：请相关部门处理。</p></div><span class="author">西城居民%s</span></body></html>
                            """.formatted(tid, tid)).getBytes(gbk))));
        }
        Files.writeString(file("mappings/xicheng-board.jsonata"), """
                reply ? { "tid": reply.channelItemId } : {
                  "origins": [{ "channel": meta.channel, "channelItemId": native.tid, "link": native.link,
                                "receivedAt": native.postedAt, "replyTarget": { "tid": native.tid } }],
                  "requester": { "name": native.author, "anonymous": false },
                  "title": native.subject, "content": native.content
                }
                """);
        Files.writeString(file("routes/xicheng-board.yaml"), replyRoute("xicheng-board"));
        Files.writeString(file("connectors/xicheng-board-channel.yaml"), """
                kind: html-board
                properties:
                  listUrl: %s/xicheng/list.html
                  item: "table.threads tr.thread"
                  link: "td.subject a"
                  idPattern: "tid=(\\\\d+)"
                  subject: "td.subject a"
                  time: "td.date"
                  state: "td.state"
                  detailContent: "div.thread-body"
                  detailAuthor: "span.author"
                  interval: 300
                """.formatted(CALLBACKS.baseUrl()));
        try {
            JsonNode t501 = await().atMost(WAIT).until(() -> ticketFor("xicheng-board", "501"), t -> t != null);
            JsonNode t502 = await().atMost(WAIT).until(() -> ticketFor("xicheng-board", "502"), t -> t != null);
            assertThat(t501.get("content").asText()).isEqualTo("帖子501的内容：请相关部门处理。");
            assertThat(t502.get("title").asText()).isEqualTo("楼道堆放杂物");
            assertThat(t502.get("requester").get("name").asText()).isEqualTo("西城居民502");
            List<Map<String, Object>> quarantined = await().atMost(WAIT).until(() -> jdbc.queryForList(
                    "SELECT reason FROM quarantine WHERE channel = 'xicheng-board' AND payload LIKE '%no-thread-id-marker%'"), l -> !l.isEmpty());
            assertThat(quarantined.get(0).get("reason").toString()).contains("no thread id");
            await().atMost(WAIT).until(() -> Long.valueOf(502).equals(cursors.get("xicheng-board", "html").watermark()));
            assertThat(camel.getRoute("xicheng-board-poll")).as("leader-only by its id (*-poll)").isNotNull();
        } finally {
            remove("xicheng-board");
        }
        await().atMost(WAIT).until(() -> camel.getRoute("xicheng-board-poll") == null);
    }

    @Test
    void messagesOfAQueueBecomeTicketsAndAMessageThatIsNotJsonIsQuarantined() throws Exception {
        Files.writeString(file("mappings/partner-queue.jsonata"), """
                reply ? { "caseNo": reply.channelItemId } : {
                  "origins": [{ "channel": meta.channel, "channelItemId": native.caseNo, "receivedAt": meta.receivedAt,
                                "replyTarget": { "caseNo": native.caseNo } }],
                  "requester": { "anonymous": true },
                  "content": native.text
                }
                """);
        Files.writeString(file("routes/partner-queue.yaml"), replyRoute("partner-queue"));
        Files.writeString(file("connectors/partner-queue-channel.yaml"), """
                kind: jms
                properties:
                  queue: hub.test.partner-items
                  itemId: caseNo
                """);
        try {
            await().atMost(WAIT).until(() -> camel.getRoute("partner-queue-jms") != null);
            jms.convertAndSend("hub.test.partner-items", "{\"caseNo\": \"PQ-1\", \"text\": \"公园长椅损坏\"}");
            jms.convertAndSend("hub.test.partner-items", "not json, queue-garbage-marker");
            JsonNode ticket = await().atMost(WAIT).until(() -> ticketFor("partner-queue", "PQ-1"), t -> t != null);
            assertThat(ticket.get("content").asText()).isEqualTo("公园长椅损坏");
            List<Map<String, Object>> quarantined = await().atMost(WAIT).until(() -> jdbc.queryForList(
                    "SELECT reason FROM quarantine WHERE channel = 'partner-queue' AND payload LIKE '%queue-garbage-marker%'"), l -> !l.isEmpty());
            assertThat(quarantined.get(0).get("reason").toString()).contains("not JSON");
        } finally {
            remove("partner-queue");
        }
        await().atMost(WAIT).until(() -> camel.getRoute("partner-queue-jms") == null);
    }

    @Test
    void aFormPostedToATokenPathIsStoredAndAWrongTokenOrAMissingIdIsRefused() throws Exception {
        Files.writeString(file("mappings/street-form.jsonata"), """
                reply ? { "no": reply.channelItemId } : {
                  "origins": [{ "channel": meta.channel, "channelItemId": native.no, "receivedAt": meta.receivedAt }],
                  "requester": { "name": native.name, "anonymous": false },
                  "content": native.text
                }
                """);
        Files.writeString(file("routes/street-form.yaml"), replyRoute("street-form"));
        Files.writeString(file("connectors/street-form-channel.yaml"), """
                kind: webhook
                properties:
                  path: "submit/{token}"
                  verify: token
                  format: form
                  itemId: "no"
                  secret: street-form-path-token-0001
                """);
        try {
            await().atMost(WAIT).until(() -> camel.getRoute("street-form-intake") != null);
            String form = "no=SF-1&name=" + java.net.URLEncoder.encode("赵六", java.nio.charset.StandardCharsets.UTF_8)
                    + "&text=" + java.net.URLEncoder.encode("街口积水严重", java.nio.charset.StandardCharsets.UTF_8);
            byte[] body = form.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String type = "application/x-www-form-urlencoded; charset=UTF-8";
            assertThat(postBytes("/channels/street-form/submit/street-form-path-token-0001", body, type, null).statusCode()).isEqualTo(202);
            JsonNode ticket = await().atMost(WAIT).until(() -> ticketFor("street-form", "SF-1"), t -> t != null);
            assertThat(ticket.get("content").asText()).isEqualTo("街口积水严重");
            assertThat(ticket.get("requester").get("name").asText()).isEqualTo("赵六");

            assertThat(postBytes("/channels/street-form/submit/wrong-token-wrong-token", body, type, null).statusCode())
                    .as("a wrong path token").isEqualTo(401);
            var noId = postBytes("/channels/street-form/submit/street-form-path-token-0001",
                    "name=x&text=y".getBytes(java.nio.charset.StandardCharsets.UTF_8), type, null);
            assertThat(noId.statusCode()).as(noId.body()).isEqualTo(400);
            assertThat(noId.body()).contains("no item id");
        } finally {
            remove("street-form");
        }
        await().atMost(WAIT).until(() -> camel.getRoute("street-form-intake") == null);
    }

    @Test
    void aChannelPackagedInTheJarRunsFromStartUp() {
        JsonNode packaged = null;
        for (JsonNode c : getJson("/api/v1/channels").get("files")) {
            if ("packaged-hook".equals(c.get("channel").asText())) {
                packaged = c;
            }
        }
        assertThat(packaged).as("src/test/resources/hub-channels/ is on the classpath").isNotNull();
        assertThat(packaged.get("running").asBoolean()).isTrue();
        assertThat(postBytes("/channels/packaged-hook/items/packaged-hook-path-token-0001",
                "{\"id\": \"PH-1\", \"text\": \"来自打包渠道\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "application/json; charset=UTF-8", null).statusCode()).isEqualTo(202);
        JsonNode ticket = await().atMost(WAIT).until(() -> ticketFor("packaged-hook", "PH-1"), t -> t != null);
        assertThat(ticket.get("content").asText()).isEqualTo("来自打包渠道");
    }

    @Test
    void mailOfAnotherMailboxBecomesTicketsThroughTheMailKind() throws Exception {
        var user = city.hotline.hub.support.MailStubs.GREENMAIL.setUser("district@hub.test", "district", "district-box-password-1");
        Files.writeString(file("mappings/district-mail.jsonata"), Files.readString(Path.of("mappings/mail-ticket.jsonata")));
        Files.writeString(file("routes/district-mail.yaml"), replyRoute("district-mail"));
        Files.writeString(file("connectors/district-mail-channel.yaml"), """
                kind: mail
                properties:
                  imapUrl: imap://127.0.0.1:%d
                  username: district
                  password: district-box-password-1
                  interval: 300
                """.formatted(city.hotline.hub.support.MailStubs.GREENMAIL.getImap().getPort()));
        try {
            String id = "<" + java.util.UUID.randomUUID() + "@citizen.test>";
            byte[] raw = ("Message-ID: " + id + "\r\nFrom: citizen-dm@citizen.test\r\nTo: district@hub.test\r\n"
                    + "Subject: =?UTF-8?B?" + java.util.Base64.getEncoder().encodeToString("小区停水".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    + "?=\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n停水两天了。\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            user.deliver(new jakarta.mail.internet.MimeMessage(jakarta.mail.Session.getInstance(new java.util.Properties()),
                    new java.io.ByteArrayInputStream(raw)));
            JsonNode ticket = await().atMost(WAIT).until(() -> getJson("/api/v1/tickets?channel=district-mail&channelItemId="
                    + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)).get("items"), i -> !i.isEmpty()).get(0);
            assertThat(ticket.get("title").asText()).isEqualTo("小区停水");
            assertThat(ticket.get("content").asText()).isEqualTo("停水两天了。");
            assertThat(camel.getRoute("district-mail-poll")).as("leader-only by its id (*-poll)").isNotNull();
        } finally {
            remove("district-mail");
        }
        await().atMost(WAIT).until(() -> camel.getRoute("district-mail-poll") == null);
    }

    static String replyRoute(String name) {
        return """
                - route:
                    id: %1$s-reply
                    routeConfigurationId: reply-errors
                    from:
                      uri: direct:reply-%1$s
                      steps:
                        - bean: { ref: channelReplies, method: map }
                        - bean: { ref: replyOutcome, method: sent }
                """.formatted(name);
    }

    static Path file(String relative) throws Exception {
        Path p = Path.of(CHANNELS_DIR, relative);
        Files.createDirectories(p.getParent());
        return p;
    }

    static void remove(String name) throws Exception {
        Files.deleteIfExists(file("connectors/" + name + "-channel.yaml"));
        Files.deleteIfExists(file("mappings/" + name + ".jsonata"));
        Files.deleteIfExists(file("routes/" + name + ".yaml"));
    }
}
