package city.hotline.hub.channel.mail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import city.hotline.hub.ticket.Hashing;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.jsoup.Jsoup;

/**
 * Reads one mail from its raw source (the bytes the IMAP server holds) into what the inbox stores
 * (mapping: mappings/mail-ticket.jsonata), decides whether it is an auto-reply, or says why it cannot
 * be read. Parsing our own copy of the raw bytes, rather than the IMAP message object, gives one code
 * path for the poll and for a quarantine replay, and keeps the raw header bytes that 8-bit GBK
 * headers need ({@link MailHeaderText}).
 *
 * <p>The payload carries nothing of the fetch (no IMAP UID, no fetch time): the same mail read again
 * after a reconnect is the same inbox item, byte for byte, and so a no-op.
 */
public final class MailParser {

    /** The item id when the mail has no usable Message-ID: a hash of its raw source (stable across fetches). */
    public static final String HASH_PREFIX = "sha256:";
    private static final int MAX_ITEM_ID = 200;
    private static final Pattern MESSAGE_ID = Pattern.compile("<[^<>\\s]+>");
    private static final Session SESSION = session();

    public sealed interface Result permits Mail, AutoReply {
        String itemId();
    }

    /** A citizen's mail: the inbox payload (JSON). */
    public record Mail(String itemId, String payload) implements Result {
    }

    /** An automatic message (out-of-office, bounce, list mail): never ticketed, never answered. */
    public record AutoReply(String itemId, String reason) implements Result {
    }

    /** The raw source is not a readable MIME message (quarantined with its raw source). */
    public static final class MalformedMail extends Exception {
        public MalformedMail(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private MailParser() {
    }

    private static Session session() {
        Properties p = new Properties();
        // a citizen's From: with a stray character is still an address to answer
        p.setProperty("mail.mime.address.strict", "false");
        // RFC 2231 parameters (filename*=GBK''%C3%FB, continuations filename*0*=) are decoded by Jakarta Mail's
        // ParameterList with its own charset map (gb2312 -> GB18030). That is the JVM system property
        // mail.mime.decodeparameters, true by default (not a session property): it must not be turned off.
        return Session.getInstance(p);
    }

    public static Result parse(byte[] raw, long maxAttachmentBytes) throws MalformedMail {
        MimeMessage msg;
        try {
            msg = new MimeMessage(SESSION, new ByteArrayInputStream(raw));
        } catch (MessagingException e) {
            throw new MalformedMail("unreadable headers: " + e.getMessage(), e);
        }
        try {
            String messageId = messageId(msg);
            String itemId = itemId(messageId, raw);
            String auto = autoReplyReason(msg);
            if (auto != null) {
                return new AutoReply(itemId, auto);
            }
            return new Mail(itemId, Json.write(payload(msg, messageId, maxAttachmentBytes)));
        } catch (MessagingException | IOException | RuntimeException e) {
            throw new MalformedMail("malformed MIME message: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Why this mail was sent by a machine (RFC 3834, common vendor headers, bounce reports), or null. */
    static String autoReplyReason(MimeMessage msg) throws MessagingException {
        String autoSubmitted = first(msg, "Auto-Submitted");
        if (autoSubmitted != null && !token(autoSubmitted).equals("no")) {
            return "Auto-Submitted: " + autoSubmitted.strip();
        }
        for (String h : List.of("X-Autoreply", "X-Autorespond", "X-Autoresponder")) {
            if (first(msg, h) != null) {
                return h + " header";
            }
        }
        String precedence = first(msg, "Precedence");
        if (precedence != null && List.of("auto_reply", "bulk", "junk").contains(token(precedence))) {
            return "Precedence: " + precedence.strip();
        }
        String type = msg.getContentType() == null ? "" : new ContentType(msg.getContentType()).getBaseType().toLowerCase(Locale.ROOT);
        if (type.equals("multipart/report") || type.equals("message/delivery-status")) {
            return "delivery report (" + type + ")";
        }
        String from = first(msg, "From");
        if (from != null && from.toLowerCase(Locale.ROOT).contains("mailer-daemon")) {
            return "sent by MAILER-DAEMON";
        }
        return null;
    }

    private static ObjectNode payload(MimeMessage msg, String messageId, long maxAttachmentBytes)
            throws MessagingException, IOException {
        Body body = new Body(maxAttachmentBytes);
        walk(msg, body);
        ObjectNode out = Json.object();
        if (messageId != null) {
            out.put("messageId", messageId);
        }
        out.put("subject", MailHeaderText.decode(first(msg, "Subject")));
        ObjectNode from = address(first(msg, "From"));
        if (from != null) {
            out.set("from", from);
        }
        ObjectNode replyTo = address(first(msg, "Reply-To"));
        if (replyTo != null) {
            out.set("replyTo", replyTo);
        }
        Date sent = msg.getSentDate();
        if (sent != null) {
            out.put("date", sent.toInstant().toString());
        }
        String plain = body.plain.toString().strip();
        String html = body.html.toString().strip();
        out.put("text", !plain.isEmpty() ? plain : htmlToText(html));
        out.put("htmlOnly", plain.isEmpty() && !html.isEmpty());
        ArrayNode refs = out.putArray("references");
        String references = first(msg, "References");
        if (references != null) {
            Matcher m = MESSAGE_ID.matcher(references);
            while (m.find()) {
                refs.add(m.group());
            }
        }
        out.set("attachments", body.attachments);
        out.set("omittedAttachments", body.omitted);
        return out;
    }

    private static void walk(Part part, Body body) throws MessagingException, IOException {
        if (part.isMimeType("multipart/*")) {
            // parses the structure now: a broken boundary fails here ("Missing start boundary")
            Multipart mp = (Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                walk(mp.getBodyPart(i), body);
            }
            return;
        }
        String name = fileName(part);
        boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || name != null;
        if (!attachment && part.isMimeType("text/plain")) {
            body.plain.append(body.plain.length() > 0 ? "\n\n" : "").append(text(part));
        } else if (!attachment && part.isMimeType("text/html")) {
            body.html.append(text(part));
        } else {
            body.attachment(part, name != null ? name : defaultName(part, body.partCount + 1));
        }
        body.partCount++;
    }

    /** The file name: RFC 2231 decoded by Jakarta Mail; RFC 2047 words and raw 8-bit bytes decoded here. */
    private static String fileName(Part part) throws MessagingException {
        String name = part.getFileName();
        return name == null || name.isBlank() ? null : MailHeaderText.decode(name);
    }

    private static String defaultName(Part part, int n) throws MessagingException {
        return part.isMimeType("message/rfc822") ? "message-" + n + ".eml" : "part-" + n;
    }

    /**
     * A text part in its declared charset, as Jakarta Mail maps the label (gb2312 and gbk read as
     * GB18030, so 镕 and 喆 survive); without a label, or with a us-ascii label over 8-bit bytes,
     * UTF-8 when valid, else GB18030.
     */
    static String text(Part part) throws MessagingException, IOException {
        byte[] bytes;
        try (InputStream in = part.getInputStream()) { // transfer encoding (base64, quoted-printable) undone
            bytes = in.readAllBytes();
        }
        String label = new ContentType(part.getContentType()).getParameter("charset");
        Charset cs = label == null ? null : MailHeaderText.charset(label);
        if (cs == null || (cs.equals(StandardCharsets.ISO_8859_1) && label.toLowerCase(Locale.ROOT).contains("ascii")
                && eightBit(bytes))) {
            return MailHeaderText.eightBit(bytes);
        }
        return new String(bytes, cs);
    }

    private static boolean eightBit(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }

    static String htmlToText(String html) {
        if (html.isEmpty()) {
            return "";
        }
        // only the body's text: no <title>, <style> or <script> content; tags and entities resolved by jsoup,
        // whose output the ticket stage sanitises again (PlainText)
        var doc = Jsoup.parse(html);
        doc.select("script, style, head").remove();
        doc.select("br").after("\n");
        doc.select("p, div, li, tr, h1, h2, h3, h4, h5, h6").after("\n\n");
        return doc.body().wholeText().strip();
    }

    private static ObjectNode address(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String decoded = MailHeaderText.decode(raw);
        InternetAddress a = parseAddress(decoded);
        if (a == null) {
            a = parseAddress(raw);
        }
        if (a == null || a.getAddress() == null) {
            return null;
        }
        ObjectNode out = Json.object();
        out.put("address", a.getAddress());
        String name = a.getPersonal();
        if (name != null && !name.isBlank()) {
            out.put("name", name.strip());
        }
        return out;
    }

    private static InternetAddress parseAddress(String value) {
        try {
            InternetAddress[] list = InternetAddress.parseHeader(value, false);
            return list.length == 0 ? null : list[0];
        } catch (AddressException e) {
            return null;
        }
    }

    private static String messageId(MimeMessage msg) throws MessagingException {
        String value = first(msg, "Message-ID");
        if (value == null) {
            return null;
        }
        Matcher m = MESSAGE_ID.matcher(value);
        String id = m.find() ? m.group() : value.strip();
        return id.isEmpty() ? null : id;
    }

    private static String itemId(String messageId, byte[] raw) {
        if (messageId != null && messageId.length() <= MAX_ITEM_ID) {
            return messageId;
        }
        // no Message-ID (or an absurd one): the raw source itself, identical on every fetch of this mail
        String basis = messageId != null ? messageId : new String(raw, StandardCharsets.ISO_8859_1);
        return HASH_PREFIX + Hashing.sha256Hex(basis);
    }

    private static String first(MimeMessage msg, String name) throws MessagingException {
        String[] values = msg.getHeader(name);
        return values == null || values.length == 0 ? null : values[0];
    }

    private static String token(String headerValue) {
        int semi = headerValue.indexOf(';');
        return (semi < 0 ? headerValue : headerValue.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    /** What the walk collects: text, HTML, attachments kept (base64) and attachments only listed. */
    private static final class Body {
        final long max;
        final StringBuilder plain = new StringBuilder();
        final StringBuilder html = new StringBuilder();
        final ArrayNode attachments = Json.object().arrayNode();
        final ArrayNode omitted = Json.object().arrayNode();
        int partCount;

        Body(long max) {
            this.max = max;
        }

        void attachment(Part part, String name) throws MessagingException, IOException {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            long size = 0;
            byte[] buf = new byte[8192];
            try (InputStream in = part.getInputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    size += n;
                    if (size <= max) {
                        kept.write(buf, 0, n); // never more than max bytes held
                    } else if (kept.size() > 0) {
                        kept = new ByteArrayOutputStream();
                    }
                }
            }
            ObjectNode a = Json.object();
            a.put("name", name);
            a.put("mediaType", new ContentType(part.getContentType()).getBaseType().toLowerCase(Locale.ROOT));
            a.put("size", size);
            if (size <= max) {
                a.put("data", Base64.getEncoder().encodeToString(kept.toByteArray()));
                attachments.add(a);
            } else {
                omitted.add(a);
            }
        }
    }
}
