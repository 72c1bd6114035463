package city.hotline.hub.channel.mail;

import java.io.UnsupportedEncodingException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;

import city.hotline.hub.store.TicketStore;
import city.hotline.hub.ticket.Json;
import city.hotline.hub.ticket.PermanentFailure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A status change by mail, in the citizen's own thread: {@code In-Reply-To} = the citizen's
 * Message-ID, {@code References} = theirs plus it, From = {@code hub.channels.mail.address}. The
 * subject and text come from {@code mappings/mail-reply.jsonata}; they go out as UTF-8 so that any
 * Chinese mail client shows them: the subject as RFC 2047 B encoded-words, the body
 * {@code text/plain; charset=UTF-8} (Jakarta Mail picks base64 or quoted-printable). Only
 * {@code hub.channels.mail.reply-statuses} are sent; other statuses finish the delivery unsent.
 */
@Component("mailReply")
public class MailReply {

    public static final String SEND_PROPERTY = "hubMailSend";
    private static final Logger LOG = LoggerFactory.getLogger(MailReply.class);
    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.of("Asia/Shanghai"));
    private static final Session SESSION = Session.getInstance(new Properties());

    private final MailProperties props;
    private final TicketStore tickets;

    public MailReply(MailProperties props, TicketStore tickets) {
        this.props = props;
        this.tickets = tickets;
    }

    /** The mapping input {ticketId, status, reply?, at, atLocal, subject?, title?, content}; decides whether to send. */
    public void prepare(Exchange exchange) {
        String status = exchange.getProperty("hubReplyStatus", String.class);
        boolean send = props.replyStatuses().contains(status);
        exchange.setProperty(SEND_PROPERTY, send);
        if (!send) {
            return;
        }
        String ticketId = exchange.getProperty("hubTicketId", String.class);
        ObjectNode input = Json.object();
        input.put("ticketId", ticketId);
        input.put("status", status);
        String reply = exchange.getProperty("hubReplyText", String.class);
        if (reply != null && !reply.isBlank()) {
            input.put("reply", reply);
        }
        String at = exchange.getProperty("hubReplyAt", String.class);
        input.put("at", at);
        input.put("atLocal", LOCAL_TIME.format(Instant.parse(at)));
        JsonNode target = target(exchange); // an origin without a valid address fails here, for good
        if (target.hasNonNull("subject")) {
            input.put("subject", target.get("subject").asText());
        }
        tickets.find(ticketId).ifPresent(t -> {
            if (t.hasNonNull("title")) {
                input.put("title", t.get("title").asText());
            }
            input.put("content", t.path("content").asText());
        });
        exchange.getMessage().setBody(Json.write(input));
    }

    public void notSent(Exchange exchange) {
        LOG.info("Status {} of ticket {} not sent by mail (hub.channels.mail.reply-statuses: {})",
                exchange.getProperty("hubReplyStatus"), exchange.getProperty("hubTicketId"), props.replyStatuses());
    }

    /** Turns the mapping's {subject, body} into the reply, the body camel-mail's SMTP producer sends as it is. */
    public void message(Exchange exchange) throws MessagingException, UnsupportedEncodingException {
        JsonNode mapped = Json.read(exchange.getMessage().getBody(String.class));
        String subject = mapped.path("subject").asText("");
        String body = mapped.path("body").asText("");
        if (subject.isBlank() || body.isBlank()) {
            throw new PermanentFailure("mapping error: mappings/mail-reply.jsonata must give 'subject' and 'body'");
        }
        JsonNode target = target(exchange);
        String ticketId = exchange.getProperty("hubTicketId", String.class);
        long delivery = exchange.getProperty("hubDeliveryId", Long.class);
        // the same Message-ID on a resend of this delivery, so the citizen's client shows it once
        ReplyMessage msg = new ReplyMessage("<" + ticketId + "." + delivery + "@" + domain(props.address()) + ">");
        msg.setFrom(new InternetAddress(props.address()));
        String name = target.hasNonNull("name") ? target.get("name").asText() : null;
        msg.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(target.get("address").asText(), name, "UTF-8"));
        msg.setHeader("Subject", MimeUtility.fold(9, MimeUtility.encodeText(subject, "UTF-8", "B")));
        msg.setText(body, "UTF-8");
        msg.setSentDate(new Date());
        String citizenId = target.hasNonNull("messageId") ? target.get("messageId").asText() : null;
        if (citizenId != null) {
            msg.setHeader("In-Reply-To", citizenId);
            List<String> refs = new ArrayList<>();
            target.path("references").forEach(r -> refs.add(r.asText()));
            refs.remove(citizenId);
            refs.add(citizenId);
            msg.setHeader("References", MimeUtility.fold(12, String.join(" ", refs)));
        }
        // RFC 3834: an automatic answer, so the citizen's out-of-office reply does not answer it back
        msg.setHeader("Auto-Submitted", "auto-replied");
        msg.saveChanges();
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setBody(msg);
    }

    private static JsonNode target(Exchange exchange) {
        String raw = exchange.getProperty("hubReplyTarget", String.class);
        JsonNode t = raw == null ? null : Json.read(raw);
        if (t == null || !t.hasNonNull("address") || t.get("address").asText().isBlank()) {
            throw new PermanentFailure("the origin has no mail address to reply to");
        }
        try {
            new InternetAddress(t.get("address").asText(), true);
        } catch (AddressException e) {
            throw new PermanentFailure("the origin's mail address is not valid: " + e.getMessage());
        }
        return t;
    }

    private static String domain(String address) {
        int at = address == null ? -1 : address.lastIndexOf('@');
        return at < 0 ? "hotline-hub.invalid" : address.substring(at + 1);
    }

    /** Keeps the Message-ID given (Jakarta Mail would make a new one on every save). */
    private static final class ReplyMessage extends MimeMessage {
        private final String messageId;

        ReplyMessage(String messageId) {
            super(SESSION);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
