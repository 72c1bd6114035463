package city.hotline.hub.channel.mail;

import java.nio.charset.StandardCharsets;

import city.hotline.hub.intake.PolledIntake;
import city.hotline.hub.intake.RawItemReplayer;
import city.hotline.hub.store.QuarantineStore;
import org.springframework.stereotype.Component;

/**
 * Replays a mail the poller quarantined (stage INTAKE, payload = the raw source, one char per byte):
 * parsed again and, when readable now, stored in the inbox like a polled mail.
 */
@Component
public class MailRawReplayer implements RawItemReplayer {

    private final MailProperties props;
    private final PolledIntake intake;

    public MailRawReplayer(MailProperties props, PolledIntake intake) {
        this.props = props;
        this.intake = intake;
    }

    @Override
    public String channel() {
        return MailIntake.CHANNEL;
    }

    @Override
    public void replay(QuarantineStore.Item item) {
        byte[] raw = item.payload().getBytes(StandardCharsets.ISO_8859_1);
        try {
            MailParser.Result result = MailParser.parse(raw, props.maxAttachmentBytes());
            if (result instanceof MailParser.Mail mail) {
                intake.accept(MailIntake.CHANNEL, "replay", mail.itemId(), mail.payload());
            }
        } catch (MailParser.MalformedMail e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
