package city.hotline.hub.channel.mail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import city.hotline.hub.intake.PolledIntake;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.MessagingException;
import org.apache.camel.Exchange;
import org.apache.camel.component.mail.MailMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One mail fetched by route {@code mail-poll} (camel-mail IMAP consumer, {@code mapMailMessage=false}):
 * its raw source is read from the server, parsed by {@link MailParser}, and then
 * <ul>
 * <li>a citizen's mail goes to the inbox, item id = its Message-ID (a hash of the raw source without one):
 * fetched again after a reconnect it is the same inbox item, a no-op;</li>
 * <li>an auto-reply or bounce is counted and logged, never ticketed (so never answered);</li>
 * <li>a message that is not readable MIME is quarantined with its raw source (replayable,
 * {@link MailRawReplayer}) and the poll goes on.</li>
 * </ul>
 * In all three cases this returns normally and camel-mail flags the mail \Seen. Failures of the
 * server or the database throw: the exchange fails, camel-mail leaves the mail unseen ({@code peek})
 * and the next poll reads it again.
 */
@Component("mailIntake")
public class MailIntake {

    public static final String CHANNEL = "mail";
    static final String SOURCE = "imap";
    private static final Logger LOG = LoggerFactory.getLogger(MailIntake.class);

    private final MailProperties props;
    private final PolledIntake intake;
    private final MeterRegistry meters;

    public MailIntake(MailProperties props, PolledIntake intake, MeterRegistry meters) {
        this.props = props;
        this.intake = intake;
        this.meters = meters;
    }

    public void accept(Exchange exchange) throws MessagingException, IOException {
        jakarta.mail.Message mail = exchange.getIn() instanceof MailMessage mm ? mm.getOriginalMessage()
                : exchange.getIn().getBody(jakarta.mail.Message.class);
        if (mail == null) {
            throw new IllegalStateException("route mail-poll handed over no mail message");
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        mail.writeTo(raw); // the source as the server holds it (BODY.PEEK[]), not re-encoded
        store(raw.toByteArray());
    }

    private void store(byte[] raw) {
        try {
            MailParser.Result result = MailParser.parse(raw, props.maxAttachmentBytes());
            if (result instanceof MailParser.AutoReply auto) {
                meters.counter("hub.mail.items", "source", SOURCE, "outcome", "auto-reply").increment();
                LOG.info("Mail {} is an automatic message ({}): not ticketed, not answered", auto.itemId(), auto.reason());
            } else if (result instanceof MailParser.Mail citizen) {
                intake.accept(CHANNEL, SOURCE, citizen.itemId(), citizen.payload());
            }
        } catch (MailParser.MalformedMail e) {
            // one char per byte: the quarantined source gives the exact bytes back for a replay
            intake.reject(CHANNEL, SOURCE, e.getMessage(), new String(raw, StandardCharsets.ISO_8859_1));
        }
    }
}
