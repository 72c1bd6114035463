package city.hotline.hub.channel.mail;

import city.hotline.hub.store.PollCursorStore;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The mailbox for operators: DOWN after {@value #DOWN_AFTER} polls in a row that could not reach or
 * log in to the IMAP server (with camel-mail's error), else UP with the time of the last good poll.
 * Recorded by {@link MailPollStrategy} in table {@code poll_cursor}, so every instance shows it.
 */
@Component("mail")
public class MailHealth implements HealthIndicator {

    static final int DOWN_AFTER = 3;

    private final MailProperties props;
    private final PollCursorStore cursors;

    public MailHealth(MailProperties props, PollCursorStore cursors) {
        this.props = props;
        this.cursors = cursors;
    }

    @Override
    public Health health() {
        if (!props.enabled()) {
            return Health.unknown().withDetail("enabled", false).build();
        }
        Health.Builder b = Health.up();
        var cursor = cursors.find(MailIntake.CHANNEL, MailIntake.SOURCE);
        if (cursor.isEmpty()) {
            return b.withDetail("lastSuccess", "no poll yet").build();
        }
        PollCursorStore.Cursor c = cursor.get();
        if (c.failures() >= DOWN_AFTER) {
            b = Health.down().withDetail("problem", "the IMAP server cannot be reached or refuses the login")
                    .withDetail("failedPolls", c.failures()).withDetail("lastError", c.lastError());
        }
        return b.withDetail("folder", props.folder())
                .withDetail("lastSuccess", c.lastSuccessAt() == null ? "never" : c.lastSuccessAt().toString()).build();
    }
}
