package city.hotline.hub.channel.generic;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import city.hotline.hub.channel.mail.MailParser;
import city.hotline.hub.intake.PolledIntake;
import city.hotline.hub.onboarding.ChannelBinding;
import city.hotline.hub.onboarding.ChannelMappings;
import org.apache.camel.Exchange;
import org.apache.camel.component.mail.MailMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The {@code mail} connector kind (connectors/mail-source.kamelet.yaml): each unseen mail of the mailbox is
 * read as the server holds it and parsed by the mayor's mailbox's own {@link MailParser}, so a file channel
 * on another mailbox gets the same handling of Chinese charsets, attachments and automatic replies. A mail
 * that cannot be stored (database away) fails the exchange: camel-mail leaves it unseen and reads it again.
 */
@Component("genericMail")
public class MailboxIntake {

    public static final String SOURCE = "imap";
    private static final Logger LOG = LoggerFactory.getLogger(MailboxIntake.class);

    private final ChannelMappings channels;
    private final PolledIntake intake;

    public MailboxIntake(ChannelMappings channels, PolledIntake intake) {
        this.channels = channels;
        this.intake = intake;
    }

    /** In the Kamelet's route: the mail's source as the server holds it (BODY.PEEK[]), as the body of a plain message. */
    public void read(Exchange exchange) throws Exception {
        jakarta.mail.Message mail = exchange.getIn() instanceof MailMessage mm ? mm.getOriginalMessage()
                : exchange.getIn().getBody(jakarta.mail.Message.class);
        if (mail == null) {
            throw new IllegalStateException("the mailbox handed over no mail message");
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        mail.writeTo(raw);
        org.apache.camel.support.DefaultMessage plain = new org.apache.camel.support.DefaultMessage(exchange);
        plain.setBody(raw.toByteArray());
        exchange.setIn(plain);
    }

    /** In the channel's intake route: parse and store (or quarantine) the mail. */
    public void accept(Exchange exchange) {
        String name = exchange.getProperty("hubChannel", String.class);
        ChannelBinding b = channels.find(name).map(ChannelMappings.Accepted::binding)
                .orElseThrow(() -> new IllegalStateException("channel '" + name + "' is not running"));
        byte[] bytes = exchange.getIn().getBody(byte[].class);
        try {
            MailParser.Result result = MailParser.parse(bytes, Long.parseLong(b.property("maxAttachmentBytes", "5242880")));
            if (result instanceof MailParser.AutoReply auto) {
                LOG.info("Channel {}: mail {} is an automatic message ({}): not ticketed", name, auto.itemId(), auto.reason());
            } else if (result instanceof MailParser.Mail citizen) {
                intake.accept(name, SOURCE, citizen.itemId(), citizen.payload());
            }
        } catch (MailParser.MalformedMail e) {
            // one char per byte: the quarantined source gives the exact bytes back
            intake.reject(name, SOURCE, e.getMessage(), new String(bytes, StandardCharsets.ISO_8859_1));
        }
    }
}
