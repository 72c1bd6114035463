package city.hotline.hub.channel.mail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Properties;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/**
 * Builds a mail's raw source byte for byte, the way channels.md §6 says it arrives: header lines
 * are given as text (ASCII) or as raw bytes (8-bit GBK), joined with CRLF.
 */
final class RawMail {

    static final Charset GBK = Charset.forName("GBK");
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A line of ASCII text. */
    RawMail line(String ascii) {
        return line(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    /** A line made of ASCII text and raw bytes, e.g. {@code "Subject: ", gbk("…")}. */
    RawMail line(Object... parts) {
        for (Object p : parts) {
            out.writeBytes(p instanceof byte[] b ? b : ((String) p).getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(new byte[] {'\r', '\n'});
        return this;
    }

    /** The usual headers of a citizen's mail. */
    RawMail headers(String messageId, String from) {
        if (messageId != null) {
            line("Message-ID: " + messageId);
        }
        return line("From: " + from).line("To: mayor@hub.test").line("Date: Mon, 30 Nov 2026 09:15:00 +0800").line("MIME-Version: 1.0");
    }

    /** Base64 lines of 76 characters. */
    RawMail base64(byte[] data) {
        String b64 = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(data);
        out.writeBytes(b64.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {'\r', '\n'});
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** A message parsed from exactly these bytes (as GreenMail's user.deliver wants it). */
    static MimeMessage message(byte[] raw) {
        try {
            return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] gbk(String text) {
        return text.getBytes(GBK);
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
