package city.hotline.hub.channel.mail;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import city.hotline.hub.store.PollCursorStore;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultPollingConsumerPollStrategy;
import org.springframework.stereotype.Component;

/**
 * camel-mail's poll strategy for route {@code mail-poll} ({@code pollStrategy=#mailPollStrategy}): Camel
 * calls it after every poll, so the outcome of the IMAP connection and login, which happen inside
 * camel-mail's consumer, lands in the shared {@code poll_cursor} row (channel {@code mail}, source
 * {@code imap}) that {@link MailHealth} shows, on whichever instance polls. Camel's own handling
 * stays: a failed poll is logged (WARN) and the next one reconnects.
 */
@Component("mailPollStrategy")
public class MailPollStrategy extends DefaultPollingConsumerPollStrategy {

    /** A healthy mailbox writes its "last success" this often, not at every poll. */
    private static final Duration SUCCESS_WRITE_INTERVAL = Duration.ofSeconds(30);

    private final PollCursorStore cursors;
    private final AtomicReference<Instant> lastSuccessWritten = new AtomicReference<>(Instant.EPOCH);
    private volatile boolean failing = true;

    public MailPollStrategy(PollCursorStore cursors) {
        this.cursors = cursors;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        succeeded();
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception e) throws Exception {
        failed(e);
        return super.rollback(consumer, endpoint, retryCounter, e);
    }

    void succeeded() {
        Instant now = Instant.now();
        Instant last = lastSuccessWritten.get();
        if (failing || last.plus(SUCCESS_WRITE_INTERVAL).isBefore(now)) {
            cursors.get(MailIntake.CHANNEL, MailIntake.SOURCE);
            cursors.succeeded(MailIntake.CHANNEL, MailIntake.SOURCE);
            lastSuccessWritten.set(now);
            failing = false;
        }
    }

    void failed(Exception e) {
        failing = true;
        cursors.get(MailIntake.CHANNEL, MailIntake.SOURCE);
        cursors.failed(MailIntake.CHANNEL, MailIntake.SOURCE, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
}
