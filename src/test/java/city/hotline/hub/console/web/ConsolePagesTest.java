package city.hotline.hub.console.web;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import city.hotline.hub.store.QuarantineStore;
import city.hotline.hub.support.HubIntegrationTest;
import city.hotline.hub.ticket.Json;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Issue 13: the console's pages, its login, what an operator may see, and its actions. */
class ConsolePagesTest extends HubIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    QuarantineStore quarantine;

    @Test
    void theConsoleNeedsALoginWhileTheApiKeepsItsKeysAndTheWebhookItsSignature() {
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(URI.create(url("/console/tickets"))).GET().build());
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location").orElseThrow()).endsWith("/login");

        // the API answers without a key as before (no login redirect), and takes a key without any CSRF token
        HttpResponse<String> noKey = send(HttpRequest.newBuilder(URI.create(url("/api/v1/tickets"))).GET().build());
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(postJson("/api/v1/intake/webform", "{\"externalId\":\"c-" + UUID.randomUUID() + "\",\"content\":\"路灯不亮\"}").statusCode())
                .isEqualTo(202);
        // the status webhook still wants its signature, not a session
        assertThat(postStatusWithHeaders("T-none", "{\"ticketId\":\"T-none\",\"status\":\"CLOSED\",\"at\":\"2026-11-28T10:00:00Z\"}")
                .statusCode()).isEqualTo(401);

        ConsoleSession session = new ConsoleSession(port);
        HttpResponse<String> wrong = session.tryLogin("admin", "not-the-password");
        assertThat(wrong.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
        HttpResponse<String> noToken = session.postForm("/login", Map.of("username", "admin", "password", ConsoleSession.ADMIN_PASSWORD));
        assertThat(noToken.statusCode()).isEqualTo(403);

        assertThat(ConsoleSession.operator(port).page("/console")).contains("概览 Dashboard", "operator (operator)");
        assertThat(ConsoleSession.admin(port).page("/console")).contains("admin (admin)");
    }

    @Test
    void anOperatorNeverSeesAFullPhoneNumberAndAnAdminDoes() {
        String externalId = "phone-" + UUID.randomUUID();
        String ticketId = ticket(externalId, ",\"requester\":{\"name\":\"王女士\",\"phone\":\"13812345678\"},\"title\":\"请回电 13812345678\"",
                "楼道灯坏了，请回电 13812345678 或 010-62345678");

        ConsoleSession operator = ConsoleSession.operator(port);
        String search = operator.page("/console/tickets?phone=13812345678");
        String page = operator.page("/console/tickets/" + ticketId);
        for (String html : new String[] {search, page}) {
            assertThat(html).contains(ticketId).contains("138****5678").doesNotContain("13812345678").doesNotContain("62345678");
        }

        String admin = ConsoleSession.admin(port).page("/console/tickets/" + ticketId);
        assertThat(admin).contains("+8613812345678", "请回电 13812345678");
    }

    @Test
    void channelContentWithScriptIsShownAsText() {
        String externalId = "<script>alert('id')</script>-" + UUID.randomUUID();
        String ticketId = ticket(externalId, "", "&lt;script&gt;alert('content')&lt;/script&gt; 井盖丢失");

        ConsoleSession admin = ConsoleSession.admin(port);
        String page = admin.page("/console/tickets/" + ticketId);
        assertThat(page).contains("&lt;script&gt;alert(&#39;id&#39;)&lt;/script&gt;", "&lt;script&gt;alert(&#39;content&#39;)&lt;/script&gt;")
                .doesNotContain("<script>alert");
        String search = admin.page("/console/tickets?channelItemId=" + URLEncoder.encode(externalId, StandardCharsets.UTF_8));
        assertThat(search).contains(ticketId).doesNotContain("<script>alert");

        long q = quarantine.add("webform", QuarantineStore.Stage.MAPPING, null, null, "bad <b>data</b>",
                "{\"content\":\"<script>alert('raw')</script>\",\"phone\":\"13912345678\"}");
        String operatorView = ConsoleSession.operator(port).page("/console/quarantine");
        assertThat(operatorView).contains("quarantine-" + q, "&lt;script&gt;alert(&#39;raw&#39;)&lt;/script&gt;", "bad &lt;b&gt;data&lt;/b&gt;",
                "139****5678").doesNotContain("<script>alert").doesNotContain("13912345678");
    }

    @Test
    void theTimelineShowsOriginsForwardsStatusesAndRetriesAFailedReply() {
        String externalId = "retry-" + UUID.randomUUID();
        StubMapping refuse = CALLBACKS.stubFor(post(urlEqualTo("/cb/" + externalId)).atPriority(1).willReturn(aResponse().withStatus(410)));
        String ticketId = ticket(externalId, ",\"callbackUrl\":\"" + callbackUrl(externalId) + "\"", "小区停水三天");
        assertThat(postStatus(ticketId, "{\"status\":\"REPLIED\",\"reply\":\"已修复\",\"handlingUnit\":\"自来水集团\",\"at\":\"2026-11-28T10:00:00+08:00\"}")
                .statusCode()).isEqualTo(200);
        long delivery = await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForList(
                "SELECT id FROM reply_delivery WHERE ticket_id = ? AND state = 'FAILED'", Long.class, ticketId), l -> l.size() == 1).get(0);

        ConsoleSession operator = ConsoleSession.operator(port);
        String path = "/console/tickets/" + ticketId;
        String page = operator.page(path);
        assertThat(page).contains("id=\"delivery-" + delivery + "\"", "FAILED", "410", "重试 Retry")
                .contains("webform", externalId, "case-system", "SENT", "REPLIED", "自来水集团", "CREATED", "STATUS_APPLIED");
        assertThat(operator.page("/console")).containsPattern("<td>webform</td><td>\\d+</td><td>[1-9]\\d*</td>");

        CALLBACKS.removeStub(refuse);
        HttpResponse<String> retried = operator.submit(path, path + "/deliveries/" + delivery + "/retry", Map.of());
        assertThat(retried.statusCode()).isEqualTo(302);
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject("SELECT state FROM reply_delivery WHERE id = ?", String.class, delivery),
                "SENT"::equals);
        assertThat(operator.page(path)).contains("queued again").doesNotContain("重试 Retry");
        // a second retry of a delivery that is no longer FAILED changes nothing
        assertThat(operator.submit(path, path + "/deliveries/" + delivery + "/retry", Map.of()).statusCode()).isEqualTo(302);
        assertThat(operator.page(path)).contains("is not FAILED");
    }

    @Test
    void aPausedChannelHoldsItsRepliesOnEveryInstanceUntilResumed() {
        String externalId = "pause-" + UUID.randomUUID();
        String ticketId = ticket(externalId, ",\"callbackUrl\":\"" + callbackUrl(externalId) + "\"", "噪音扰民");
        ConsoleSession admin = ConsoleSession.admin(port);
        try {
            assertThat(admin.submit("/console/channels", "/console/channels/webform/pause", Map.of("reason", "回调服务维护")).statusCode())
                    .isEqualTo(302);
            assertThat(jdbc.queryForObject("SELECT paused_by FROM channel_pause WHERE channel = 'webform'", String.class)).isEqualTo("admin");
            assertThat(admin.page("/console/channels")).contains("id=\"channel-webform\"", "PAUSED", "回调服务维护");

            postStatus(ticketId, "{\"status\":\"ACCEPTED\",\"at\":\"2026-11-28T10:00:00+08:00\"}");
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> jdbc.queryForObject(
                    "SELECT state FROM reply_delivery WHERE ticket_id = ?", String.class, ticketId), "PENDING"::equals);
        } finally {
            assertThat(admin.submit("/console/channels", "/console/channels/webform/resume", Map.of()).statusCode()).isEqualTo(302);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "SELECT state FROM reply_delivery WHERE ticket_id = ?", String.class, ticketId), "SENT"::equals);
        assertThat(admin.page("/console/channels")).doesNotContain("PAUSED");
    }

    @Test
    void theChannelsPageShowsWhatEveryInstanceWroteToTheSharedTables() {
        // another instance of the cluster, as its heartbeat writes it (route console-heartbeat)
        jdbc.update("""
                INSERT INTO console_instance (node_id, pollers, seen_at) VALUES ('hub-elsewhere', '{weibo-poll}', now())
                ON CONFLICT (node_id) DO UPDATE SET pollers = excluded.pollers, seen_at = now()""");
        ConsoleSession operator = ConsoleSession.operator(port);
        String page = await().atMost(Duration.ofSeconds(15)).until(() -> operator.page("/console/channels"),
                p -> p.contains("board-poll"));
        assertThat(page).contains("id=\"channel-board\"", "id=\"channel-weibo\"", "id=\"channel-webform\"", "hub-elsewhere");
        String weibo = page.substring(page.indexOf("id=\"channel-weibo\""));
        assertThat(weibo.substring(0, weibo.indexOf("</tr>"))).contains("hub-elsewhere");
        jdbc.update("DELETE FROM console_instance WHERE node_id = 'hub-elsewhere'");
    }

    @Test
    void aQuarantinedItemIsReplayedOrDiscardedWithANote() {
        String ticketId = ticket("q-" + UUID.randomUUID(), "", "占道经营");
        long status = quarantine.add("webform", QuarantineStore.Stage.STATUS, null, ticketId, "unknown ticket (came too early)",
                "{\"ticketId\":\"" + ticketId + "\",\"status\":\"IN_PROGRESS\",\"at\":\"2026-11-28T10:00:00+08:00\"}");
        long junk = quarantine.add("webform", QuarantineStore.Stage.MAPPING, null, null, "unreadable", "{not json");
        ConsoleSession operator = ConsoleSession.operator(port);

        assertThat(operator.submit("/console/quarantine", "/console/quarantine/" + status + "/replay", Map.of()).statusCode()).isEqualTo(302);
        assertThat(jdbc.queryForObject("SELECT status FROM ticket WHERE ticket_id = ?", String.class, ticketId)).isEqualTo("IN_PROGRESS");
        assertThat(quarantine.find(status).orElseThrow().state()).isEqualTo("REPLAYED");

        operator.submit("/console/quarantine", "/console/quarantine/" + junk + "/discard", Map.of("note", "测试数据，无需处理"));
        assertThat(jdbc.queryForMap("SELECT state, discarded_by, note FROM quarantine WHERE id = ?", junk))
                .containsEntry("state", "DISCARDED").containsEntry("discarded_by", "operator").containsEntry("note", "测试数据，无需处理");
        assertThat(operator.page("/console/quarantine")).doesNotContain("quarantine-" + junk).doesNotContain("quarantine-" + status);
        assertThat(operator.page("/console/quarantine?state=DISCARDED")).contains("quarantine-" + junk, "测试数据，无需处理");
    }

    @Test
    void theDashboardShowsTheSharedFiguresAndRefreshesItself() {
        ticket("dash-" + UUID.randomUUID(), "", "垃圾清运不及时");
        ConsoleSession operator = ConsoleSession.operator(port);
        String page = operator.page("/console");
        long open = jdbc.queryForObject("SELECT count(*) FROM quarantine WHERE state = 'OPEN'", Long.class);
        assertThat(page).contains("id=\"quarantine-size\">" + open + "<", "hx-trigger=\"every 15s\"", "echarts.min.js");
        var intake = Json.read(operator.page("/console/dashboard/intake?days=1"));
        assertThat(intake.get("hours").size()).isBetween(1, 24);
        long webformToday = 0;
        for (var s : intake.get("series")) {
            if (s.get("name").asText().equals("webform")) {
                for (var n : s.get("data")) {
                    webformToday += n.asLong();
                }
            }
        }
        assertThat(webformToday).isEqualTo(jdbc.queryForObject(
                "SELECT count(*) FROM inbox WHERE channel = 'webform' AND received_at >= date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'",
                Long.class));
        assertThat(Json.read(operator.page("/console/dashboard/intake?days=7")).get("hours").size()).isGreaterThan(144);
        assertThat(operator.page("/console/dashboard/figures")).contains("id=\"figures\"").doesNotContain("<nav");
        // the pages' scripts come from the webjars
        assertThat(operator.get("/webjars/htmx.org/2.0.4/dist/htmx.min.js").statusCode()).isEqualTo(200);
        assertThat(operator.get("/webjars/echarts/5.3.1/dist/echarts.min.js").statusCode()).isEqualTo(200);
    }

    /** A web-form ticket, forwarded to the case system; extra is appended to the submission's JSON. */
    private String ticket(String externalId, String extra, String content) {
        HttpResponse<String> r = postJson("/api/v1/intake/webform", "{\"externalId\":" + Json.write(externalId)
                + ",\"content\":" + Json.write(content) + extra + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForList("""
                SELECT t.ticket_id FROM ticket t JOIN ticket_origin o ON o.ticket_id = t.ticket_id
                WHERE o.channel = 'webform' AND o.channel_item_id = ? AND t.status = 'FORWARDED'""", String.class, externalId),
                l -> l.size() == 1).get(0);
    }
}
