package city.hotline.hub.channel.mail;

import static city.hotline.hub.channel.mail.RawMail.b64;
import static city.hotline.hub.channel.mail.RawMail.gbk;
import static city.hotline.hub.support.MailStubs.GREENMAIL;
import static city.hotline.hub.support.MailStubs.MAILBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import city.hotline.hub.store.QuarantineStore;
import city.hotline.hub.support.HubIntegrationTest;
import city.hotline.hub.support.MailStubs;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import com.icegreen.greenmail.store.StoredMessage;
import jakarta.mail.Flags;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The mayor's mailbox against GreenMail (SMTP + IMAP): mails are delivered to the polled INBOX
 * from their raw bytes, built after channels.md §6 (M-01 … M-10), and read by route mail-poll.
 * Every test uses its own Message-IDs and sender addresses.
 */
class MailChannelTest extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CamelContext camel;
    @Autowired
    MeterRegistry meters;
    @Autowired
    QuarantineStore quarantine;

    @Test
    void m01_gb2312LabelledSubjectOverGbkBytesIsReadAsGb18030() {
        String id = messageId();
        deliver(new RawMail().headers(id, "citizen-m01@citizen.test")
                .line("Subject: =?gb2312?B?UEO9u5NRpM6ktLC4xNooysLHsJzKguSky6TEpKSkxik=?=")
                .line("Content-Type: text/plain; charset=UTF-8").line("Content-Transfer-Encoding: 8bit").line("")
                .line("请问".getBytes(StandardCharsets.UTF_8)).bytes());
        JsonNode ticket = awaitTicket(id);
        assertThat(ticket.get("title").asText()).isEqualTo("PC交換のご案内(事前準備について)");
        assertThat(ticket.get("content").asText()).isEqualTo("请问");
    }

    @Test
    void m02_aCharacterSplitAcrossTwoEncodedWordsIsJoined() {
        String id = messageId();
        byte[] g = gbk("市长您好：小区噪音");
        deliver(new RawMail().headers(id, "citizen-m02@citizen.test")
                .line("Subject: =?gb2312?B?" + b64(Arrays.copyOfRange(g, 0, 5)) + "?=")
                .line(" =?gb2312?B?" + b64(Arrays.copyOfRange(g, 5, g.length)) + "?=")
                .line("Content-Type: text/plain; charset=gb2312").line("").line(gbk("夜间施工。")).bytes());
        JsonNode ticket = awaitTicket(id);
        assertThat(ticket.get("title").asText()).isEqualTo("市长您好：小区噪音");
        assertThat(ticket.get("content").asText()).isEqualTo("夜间施工。");
    }

    @Test
    void m03_utf8QEncodedSubjectAndSenderName() {
        String id = messageId();
        deliver(new RawMail().headers(id, "=?UTF-8?Q?=E5=BC=A0=E4=B8=89?= <citizen-m03@citizen.test>")
                .line("Subject: =?UTF-8?Q?=E8=B7=AF=E7=81=AF=E4=B8=8D=E4=BA=AE_(=E4=B8=89=E5=8F=B7=E8=B7=AF)?=")
                .line("Content-Type: text/plain; charset=UTF-8").line("Content-Transfer-Encoding: quoted-printable").line("")
                .line("=E5=B7=B2=E7=BB=8F=E4=B8=80=E5=91=A8").bytes());
        JsonNode ticket = awaitTicket(id);
        assertThat(ticket.get("title").asText()).isEqualTo("路灯不亮 (三号路)");
        assertThat(ticket.get("content").asText()).isEqualTo("已经一周");
        assertThat(ticket.at("/requester/name").asText()).isEqualTo("张三");
        assertThat(ticket.at("/origins/0/replyTarget/address").asText()).isEqualTo("citizen-m03@citizen.test");
    }

    @Test
    void m04_raw8BitGbkSubjectWithoutAnyEncoding() {
        String id = messageId();
        deliver(new RawMail().headers(id, "citizen-m04@citizen.test")
                .line("Subject: ", gbk("关于小区噪音的投诉"))
                .line("Content-Type: text/plain; charset=GBK").line("Content-Transfer-Encoding: 8bit").line("")
                .line(gbk("晚上十点以后仍有施工。")).bytes());
        JsonNode ticket = awaitTicket(id);
        assertThat(ticket.get("title").asText()).isEqualTo("关于小区噪音的投诉");
        assertThat(ticket.get("content").asText()).isEqualTo("晚上十点以后仍有施工。");
    }

    @Test
    void m05_base64Gb2312BodyWithGbkOnlyCharacters() {
        String id = messageId();
        String text = "我叫朱镕喆，反映镕字和喆字在表格里显示不出来的问题。";
        deliver(new RawMail().headers(id, "citizen-m05@citizen.test")
                .line("Subject: =?gb2312?B?" + b64(gbk("户籍登记")) + "?=")
                .line("Content-Type: text/plain; charset=\"gb2312\"").line("Content-Transfer-Encoding: base64").line("")
                .base64(gbk(text)).bytes());
        JsonNode ticket = awaitTicket(id);
        assertThat(ticket.get("content").asText()).isEqualTo(text).contains("镕", "喆");
    }

    @Test
    void m06_rfc2231AndRaw8BitGbkFileNames() {
        String id = messageId();
        byte[] photo = "jpeg-bytes".getBytes(StandardCharsets.US_ASCII);
        deliver(new RawMail().headers(id, "citizen-m06@citizen.test")
                .line("Subject: photos").line("Content-Type: multipart/mixed; boundary=\"b1\"").line("")
                .line("--b1").line("Content-Type: text/plain; charset=UTF-8").line("")
                .line("见附件".getBytes(StandardCharsets.UTF_8))
                .line("--b1").line("Content-Type: image/jpeg")
                .line("Content-Disposition: attachment; filename*=GBK''" + percent(gbk("现场照片.jpg")))
                .line("Content-Transfer-Encoding: base64").line("").base64(photo)
                .line("--b1").line("Content-Type: text/plain; name=\"", gbk("名单.txt"), "\"")
                .line("Content-Disposition: attachment; filename=\"", gbk("名单.txt"), "\"").line("")
                .line("1")
                .line("--b1--").bytes());
        JsonNode ticket = awaitTicket(id);
        JsonNode attachments = ticket.get("attachments");
        assertThat(attachments).hasSize(2);
        assertThat(attachments.get(0).get("name").asText()).isEqualTo("现场照片.jpg");
        assertThat(attachments.get(0).get("mediaType").asText()).isEqualTo("image/jpeg");
        assertThat(attachments.get(0).get("url").asText()).isEqualTo("data:image/jpeg;base64," + b64(photo));
        assertThat(attachments.get(1).get("name").asText()).isEqualTo("名单.txt");
    }

    @Test
    void anHtmlOnlyMailBecomesSanitisedText() {
        String id = messageId();
        deliver(new RawMail().headers(id, "citizen-html@citizen.test")
                .line("Subject: html").line("Content-Type: text/html; charset=UTF-8").line("")
                .line(("<html><head><title>T</title><style>p{color:red}</style><script>alert(1)</script></head>"
                        + "<body><p>第一段&amp;<b>加粗</b></p><div>第二段<img src=x onerror=alert(2)></div></body></html>")
                        .getBytes(StandardCharsets.UTF_8)).bytes());
        JsonNode ticket = awaitTicket(id);
        String content = ticket.get("content").asText();
        assertThat(content).contains("第一段&加粗", "第二段").doesNotContain("<", "alert", "color", "T\n");
    }

    @Test
    void m07_theSameMailFetchedAgainAfterAReconnectIsOneTicket() throws Exception {
        String id = messageId();
        byte[] raw = new RawMail().headers(id, "citizen-m07@citizen.test").line("Subject: twice")
                .line("Content-Type: text/plain; charset=UTF-8").line("").line("一次就够".getBytes(StandardCharsets.UTF_8)).bytes();
        deliver(raw);
        String ticketId = awaitTicket(id).get("ticketId").asText();
        // handled mail stays in the mailbox, flagged \Seen
        StoredMessage stored = await().atMost(WAIT).until(() -> stored(id), m -> m != null && m.isSet(Flags.Flag.SEEN));
        assertThat(stored.isSet(Flags.Flag.DELETED)).isFalse();
        double duplicatesBefore = count("hub.mail.items", "duplicate");
        // the connection goes away; after the reconnect the server shows the same mail as unread again
        camel.getRouteController().stopRoute("mail-poll");
        stored.setFlag(Flags.Flag.SEEN, false);
        camel.getRouteController().startRoute("mail-poll");
        await().atMost(WAIT).until(() -> count("hub.mail.items", "duplicate") > duplicatesBefore);
        JsonNode items = getJson("/api/v1/tickets?channel=mail&channelItemId=" + enc(id)).get("items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("ticketId").asText()).isEqualTo(ticketId);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM inbox WHERE channel = 'mail' AND channel_item_id = ?", Integer.class, id))
                .isEqualTo(1);
    }

    @Test
    void aMailWithoutMessageIdIsKeyedByAHashOfItsSource() {
        String marker = UUID.randomUUID().toString();
        byte[] raw = new RawMail().headers(null, "citizen-noid@citizen.test").line("Subject: no id " + marker)
                .line("Content-Type: text/plain; charset=UTF-8").line("").line("没有编号").bytes();
        deliver(raw);
        String itemId = await().atMost(WAIT).until(() -> jdbc.queryForList(
                "SELECT channel_item_id FROM inbox WHERE channel = 'mail' AND payload LIKE ?", String.class, "%" + marker + "%"),
                l -> l.size() == 1).get(0);
        assertThat(itemId).isEqualTo(MailParser.HASH_PREFIX + city.hotline.hub.ticket.Hashing.sha256Hex(
                new String(raw, StandardCharsets.ISO_8859_1)));
        assertThat(awaitTicket(itemId).get("title").asText()).isEqualTo("no id " + marker);
    }

    @Test
    void m08_autoRepliesAndBouncesAreNeitherTicketedNorAnswered() {
        String outOfOffice = messageId();
        String bounce = messageId();
        String vacation = messageId();
        String citizen = messageId();
        double before = count("hub.mail.items", "auto-reply");
        deliver(new RawMail().headers(outOfOffice, "citizen-m08@citizen.test").line("Subject: =?UTF-8?B?" + b64("自动回复：我已休假".getBytes(StandardCharsets.UTF_8)) + "?=")
                .line("Auto-Submitted: auto-replied").line("In-Reply-To: <T-earlier@hub.test>")
                .line("Content-Type: text/plain; charset=UTF-8").line("").line("休假中").bytes());
        deliver(new RawMail().headers(vacation, "citizen-m08b@citizen.test").line("Subject: away").line("X-Autoreply: yes")
                .line("Content-Type: text/plain; charset=UTF-8").line("").line("away").bytes());
        deliver(new RawMail().headers(bounce, "MAILER-DAEMON@citizen.test").line("Subject: Undelivered Mail Returned to Sender")
                .line("Content-Type: multipart/report; report-type=delivery-status; boundary=\"r\"").line("")
                .line("--r").line("Content-Type: text/plain").line("").line("could not be delivered")
                .line("--r").line("Content-Type: message/delivery-status").line("").line("Final-Recipient: rfc822; x@citizen.test")
                .line("Action: failed").line("Status: 5.1.1").line("--r--").bytes());
        // a citizen's mail delivered after them is read: the auto-replies have been handled by then
        deliver(new RawMail().headers(citizen, "citizen-m08c@citizen.test").line("Subject: real")
                .line("Content-Type: text/plain; charset=UTF-8").line("").line("真实来信").bytes());
        awaitTicket(citizen);
        await().atMost(WAIT).until(() -> count("hub.mail.items", "auto-reply") >= before + 3);
        for (String id : List.of(outOfOffice, vacation, bounce)) {
            assertThat(getJson("/api/v1/tickets?channel=mail&channelItemId=" + enc(id)).get("items")).isEmpty();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM inbox WHERE channel = 'mail' AND channel_item_id = ?", Integer.class, id))
                    .isZero();
        }
        assertThat(sentTo("citizen-m08@citizen.test")).isEmpty();
        assertThat(sentTo("MAILER-DAEMON@citizen.test")).isEmpty();
    }

    @Test
    void m09_anAttachmentOverTheLimitIsListedNotStored() {
        String id = messageId();
        byte[] big = new byte[MailStubs.MAX_ATTACHMENT_BYTES * 3];
        Arrays.fill(big, (byte) 'x');
        byte[] small = "small".getBytes(StandardCharsets.US_ASCII);
        deliver(new RawMail().headers(id, "citizen-m09@citizen.test").line("Subject: big")
                .line("Content-Type: multipart/mixed; boundary=\"b\"").line("")
                .line("--b").line("Content-Type: text/plain; charset=UTF-8").line("").line("视频见附件".getBytes(StandardCharsets.UTF_8))
                .line("--b").line("Content-Type: video/mp4; name=\"big.mp4\"").line("Content-Disposition: attachment; filename=\"big.mp4\"")
                .line("Content-Transfer-Encoding: base64").line("").base64(big)
                .line("--b").line("Content-Type: text/plain; name=\"note.txt\"").line("Content-Disposition: attachment; filename=\"note.txt\"")
                .line("Content-Transfer-Encoding: base64").line("").base64(small)
                .line("--b--").bytes());
        JsonNode ticket = awaitTicket(id);
        assertThat(ticket.get("attachments")).hasSize(1);
        assertThat(ticket.at("/attachments/0/name").asText()).isEqualTo("note.txt");
        assertThat(ticket.get("content").asText()).contains("视频见附件", "附件过大未保存", "big.mp4（" + big.length + " 字节）");
        String payload = jdbc.queryForObject("SELECT payload FROM inbox WHERE channel = 'mail' AND channel_item_id = ?", String.class, id);
        assertThat(payload.length()).isLessThan(MailStubs.MAX_ATTACHMENT_BYTES);
    }

    @Test
    void m10_aMalformedMessageIsQuarantinedWithItsRawSourceAndThePollGoesOn() {
        String bad = messageId();
        String good = messageId();
        byte[] raw = new RawMail().headers(bad, "citizen-m10@citizen.test").line("Subject: broken " + bad)
                .line("Content-Type: multipart/mixed; boundary=\"declared-boundary\"").line("")
                .line("--other-boundary").line("Content-Type: text/plain").line("").line("text")
                .line("--other-boundary--").bytes();
        deliver(raw);
        deliver(new RawMail().headers(good, "citizen-m10b@citizen.test").line("Subject: after the broken one")
                .line("Content-Type: text/plain; charset=UTF-8").line("").line("正常").bytes());
        awaitTicket(good);
        List<Map<String, Object>> rows = await().atMost(WAIT).until(() -> jdbc.queryForList(
                "SELECT id, stage, reason, payload, state FROM quarantine WHERE channel = 'mail' AND payload LIKE ?", "%" + bad + "%"),
                l -> !l.isEmpty());
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("stage")).isEqualTo("INTAKE");
        assertThat((String) rows.get(0).get("reason")).contains("malformed MIME message");
        assertThat(((String) rows.get(0).get("payload")).getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(raw);
        // visible and replayable through the quarantine API (a replay still fails: the source is still broken)
        JsonNode listed = getJson("/api/v1/quarantine");
        assertThat(listed.toString()).contains("malformed MIME message");
        var replay = postJson("/api/v1/quarantine/" + rows.get(0).get("id") + "/replay", "{}");
        assertThat(replay.statusCode()).isEqualTo(422);
        assertThat(replay.body()).contains("still unreadable", "Missing start boundary");
        assertThat(getJson("/api/v1/tickets?channel=mail&channelItemId=" + enc(bad)).get("items")).isEmpty();
    }

    @Test
    void aQuarantinedMailThatIsReadableNowBecomesATicketOnReplay() {
        String id = messageId();
        byte[] raw = new RawMail().headers(id, "citizen-replay@citizen.test").line("Subject: ", gbk("重放"))
                .line("Content-Type: text/plain; charset=gb2312").line("Content-Transfer-Encoding: base64").line("")
                .base64(gbk("朱镕喆的来信")).bytes();
        // as an earlier version of the hub would have quarantined it: the raw source, one char per byte
        long qid = quarantine.add("mail", QuarantineStore.Stage.INTAKE, null, null, "imap: an earlier parser failed",
                new String(raw, StandardCharsets.ISO_8859_1));
        assertThat(postJson("/api/v1/quarantine/" + qid + "/replay", "{}").statusCode()).isEqualTo(202);
        JsonNode ticket = awaitTicket(id);
        assertThat(ticket.get("title").asText()).isEqualTo("重放");
        assertThat(ticket.get("content").asText()).isEqualTo("朱镕喆的来信");
    }

    @Test
    void theReplyGoesOutInTheCitizensThreadWithAChineseSubjectAndBody() throws Exception {
        String id = messageId();
        String earlier = messageId();
        String citizen = "citizen-reply-" + UUID.randomUUID().toString().substring(0, 8) + "@citizen.test";
        deliver(new RawMail().headers(id, "=?gb2312?B?" + b64(gbk("李四")) + "?= <" + citizen + ">")
                .line("Subject: =?gb2312?B?" + b64(gbk("井盖丢失")) + "?=")
                .line("References: " + earlier).line("In-Reply-To: " + earlier)
                .line("Content-Type: text/plain; charset=gb2312").line("").line(gbk("人民路口井盖丢失。")).bytes());
        String ticketId = awaitTicket(id).get("ticketId").asText();
        postStatus(ticketId, "{\"status\":\"ACCEPTED\",\"at\":\"2026-11-28T09:00:00+08:00\"}");
        // not one of hub.channels.mail.reply-statuses: delivered as "not sent"
        postStatus(ticketId, "{\"status\":\"IN_PROGRESS\",\"at\":\"2026-11-28T09:30:00+08:00\"}");
        postStatus(ticketId, "{\"status\":\"REPLIED\",\"reply\":\"已安排市政维修，井盖已补齐。\",\"at\":\"2026-11-28T10:00:00+08:00\"}");
        List<MimeMessage> sent = await().atMost(WAIT).until(() -> sentTo(citizen), l -> l.size() >= 2);
        await().atMost(WAIT).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM reply_delivery WHERE ticket_id = ? AND state = 'SENT'", Integer.class, ticketId) == 3);
        assertThat(sentTo(citizen)).hasSize(2);
        MimeMessage accepted = sent.stream().filter(m -> text(m).contains("已受理")).findFirst().orElseThrow();
        MimeMessage replied = sent.stream().filter(m -> text(m).contains("已答复")).findFirst().orElseThrow();
        for (MimeMessage m : List.of(accepted, replied)) {
            assertThat(m.getHeader("In-Reply-To", null)).isEqualTo(id);
            assertThat(m.getHeader("References", null).replaceAll("\\s+", " ")).isEqualTo(earlier + " " + id);
            assertThat(m.getSubject()).isEqualTo("Re: 井盖丢失【工单号 " + ticketId + "】");
            assertThat(m.getHeader("Subject", null)).startsWith("=?UTF-8?B?");
            assertThat(m.getContentType()).containsIgnoringCase("text/plain").containsIgnoringCase("charset=UTF-8");
            assertThat(m.getHeader("Content-Transfer-Encoding", null)).isIn("base64", "quoted-printable");
            assertThat(((InternetAddress) m.getFrom()[0]).getAddress()).isEqualTo(MailStubs.ADDRESS);
            InternetAddress to = (InternetAddress) m.getRecipients(Message.RecipientType.TO)[0];
            assertThat(to.getAddress()).isEqualTo(citizen);
            assertThat(to.getPersonal()).isEqualTo("李四");
            assertThat(m.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
        }
        assertThat(text(replied)).contains("答复：\n已安排市政维修，井盖已补齐。");
        JsonNode target = awaitTicket(id).at("/origins/0/replyTarget");
        assertThat(target.get("messageId").asText()).isEqualTo(id);
        assertThat(target.get("subject").asText()).isEqualTo("井盖丢失");
    }

    @Test
    void aMailWithoutSenderIsTicketedButItsReplyFailsForGood() {
        String id = messageId();
        deliver(new RawMail().line("Message-ID: " + id).line("To: mayor@hub.test").line("Subject: anonymous")
                .line("Content-Type: text/plain; charset=UTF-8").line("").line("匿名来信".getBytes(StandardCharsets.UTF_8)).bytes());
        String ticketId = awaitTicket(id).get("ticketId").asText();
        postStatus(ticketId, "{\"status\":\"ACCEPTED\",\"at\":\"2026-11-28T09:00:00+08:00\"}");
        Map<String, Object> delivery = await().atMost(WAIT).until(() -> jdbc.queryForMap(
                "SELECT state, last_error FROM reply_delivery WHERE ticket_id = ?", ticketId), d -> "FAILED".equals(d.get("state")));
        assertThat((String) delivery.get("last_error")).contains("no mail address");
    }

    @Test
    void theHealthShowsTheMailboxDownWhileTheLoginIsRefusedAndUpAgainAfter() throws Exception {
        // the mailbox password is changed on the server: the hub's next login (after a reconnect) is refused
        camel.getRouteController().stopRoute("mail-poll");
        MAILBOX.setPassword("changed-by-the-mail-admin");
        try {
            camel.getRouteController().startRoute("mail-poll");
            JsonNode down = await().atMost(WAIT).until(() -> health().at("/components/mail"),
                    h -> "DOWN".equals(h.path("status").asText()));
            assertThat(down.at("/details/problem").asText()).contains("refuses the login");
            assertThat(down.at("/details/lastError").asText()).contains("AuthenticationFailedException");
        } finally {
            MAILBOX.setPassword(MailStubs.PASSWORD);
        }
        JsonNode up = await().atMost(WAIT).until(() -> health().at("/components/mail"), h -> "UP".equals(h.path("status").asText()));
        assertThat(up.at("/details/lastSuccess").asText()).isNotEqualTo("never");
    }

    // --- helpers

    private static String messageId() {
        return "<" + UUID.randomUUID() + "@citizen.test>";
    }

    private static void deliver(byte[] raw) {
        MAILBOX.deliver(RawMail.message(raw));
    }

    private JsonNode awaitTicket(String itemId) {
        return await().atMost(WAIT).until(() -> {
            JsonNode items = getJson("/api/v1/tickets?channel=mail&channelItemId=" + enc(itemId)).get("items");
            return items.isEmpty() ? null : items.get(0);
        }, t -> t != null);
    }

    /** The mail with this Message-ID as the IMAP server holds it. */
    private static StoredMessage stored(String messageId) throws Exception {
        for (StoredMessage m : GREENMAIL.getManagers().getImapHostManager().getInbox(MAILBOX).getMessages()) {
            if (messageId.equals(m.getMimeMessage().getMessageID())) {
                return m;
            }
        }
        return null;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private double count(String name, String outcome) {
        var c = meters.find(name).tag("outcome", outcome).counters();
        return c.stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    private static List<MimeMessage> sentTo(String address) {
        return Arrays.stream(GREENMAIL.getReceivedMessages()).filter(m -> {
            try {
                return m.getRecipients(Message.RecipientType.TO) != null && Arrays.stream(m.getRecipients(Message.RecipientType.TO))
                        .anyMatch(a -> ((InternetAddress) a).getAddress().equalsIgnoreCase(address));
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    private static String text(MimeMessage m) {
        try {
            return (String) m.getContent();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String percent(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.') {
                s.append((char) c);
            } else {
                s.append('%').append(String.format("%02X", c));
            }
        }
        return s.toString();
    }
}
