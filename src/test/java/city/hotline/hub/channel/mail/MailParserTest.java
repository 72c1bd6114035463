package city.hotline.hub.channel.mail;

import static city.hotline.hub.channel.mail.RawMail.gbk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** What MailParser makes of raw sources the GreenMail tests do not show one by one. */
class MailParserTest {

    private static final long MAX = 1024;

    @Test
    void autoSubmittedNoIsACitizensMailAndReplyToIsKept() throws Exception {
        byte[] raw = new RawMail().headers("<a1@citizen.test>", "Wang <wang@citizen.test>").line("Reply-To: reply@citizen.test")
                .line("Auto-Submitted: no").line("Subject: hi").line("Content-Type: text/plain").line("").line("hello").bytes();
        JsonNode mail = payload(MailParser.parse(raw, MAX));
        assertThat(mail.at("/from/address").asText()).isEqualTo("wang@citizen.test");
        assertThat(mail.at("/from/name").asText()).isEqualTo("Wang");
        assertThat(mail.at("/replyTo/address").asText()).isEqualTo("reply@citizen.test");
        assertThat(mail.get("date").asText()).isEqualTo("2026-11-30T01:15:00Z");
    }

    @Test
    void precedenceBulkAndMailerDaemonAreAutomatic() throws Exception {
        byte[] bulk = new RawMail().headers("<a2@citizen.test>", "news@citizen.test").line("Precedence: bulk")
                .line("Subject: news").line("").line("x").bytes();
        assertThat(MailParser.parse(bulk, MAX)).isInstanceOf(MailParser.AutoReply.class);
        byte[] daemon = new RawMail().headers("<a3@citizen.test>", "Mail Delivery System <MAILER-DAEMON@mx.citizen.test>")
                .line("Subject: failure").line("").line("x").bytes();
        assertThat(((MailParser.AutoReply) MailParser.parse(daemon, MAX)).reason()).contains("MAILER-DAEMON");
    }

    @Test
    void a8BitGbkBodyWithoutCharsetLabelIsReadAsGb18030AndAForwardedMailIsAnAttachment() throws Exception {
        byte[] raw = new RawMail().headers("<a4@citizen.test>", "li@citizen.test").line("Subject: fwd")
                .line("Content-Type: multipart/mixed; boundary=\"m\"").line("")
                .line("--m").line("Content-Type: text/plain").line("Content-Transfer-Encoding: 8bit").line("").line(gbk("转发一封信"))
                .line("--m").line("Content-Type: message/rfc822").line("")
                .line("Subject: inner").line("").line("inner body")
                .line("--m--").bytes();
        JsonNode mail = payload(MailParser.parse(raw, MAX));
        assertThat(mail.get("text").asText()).isEqualTo("转发一封信");
        assertThat(mail.at("/attachments/0/mediaType").asText()).isEqualTo("message/rfc822");
        assertThat(mail.at("/attachments/0/name").asText()).endsWith(".eml");
    }

    @Test
    void withoutMessageIdTheKeyIsAStableHashOfTheSource() throws Exception {
        byte[] raw = new RawMail().headers(null, "zhao@citizen.test").line("Subject: no id").line("").line("x").bytes();
        String first = MailParser.parse(raw, MAX).itemId();
        assertThat(first).startsWith(MailParser.HASH_PREFIX).isEqualTo(MailParser.parse(raw.clone(), MAX).itemId());
        assertThat(payload(MailParser.parse(raw, MAX)).has("messageId")).isFalse();
    }

    @Test
    void brokenBase64IsMalformed() {
        byte[] raw = new RawMail().headers("<a5@citizen.test>", "qian@citizen.test").line("Subject: bad")
                .line("Content-Type: text/plain; charset=UTF-8").line("Content-Transfer-Encoding: base64").line("")
                .line("5Lit5paH!!!!====@@@@").bytes();
        assertThatThrownBy(() -> MailParser.parse(raw, MAX)).isInstanceOf(MailParser.MalformedMail.class);
    }

    private static JsonNode payload(MailParser.Result r) {
        assertThat(r).isInstanceOf(MailParser.Mail.class);
        return Json.read(((MailParser.Mail) r).payload());
    }
}
