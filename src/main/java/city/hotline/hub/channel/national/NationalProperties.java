package city.hotline.hub.channel.national;

import java.time.Duration;

import city.hotline.hub.ticket.HubProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code hub.channels.national.*} (docs/national-adapter.md); defaults live in application.yml.
 * The app secret signs every request: it comes from the environment, is never logged and is not
 * part of {@link #toString()}.
 *
 * @param receiptWithin      a case whose receipt is not signed this long after it was pulled makes the health DOWN
 * @param feedbackWarnBefore a ticket whose dueAt is nearer than this without a feedback report counts as due soon
 * @param defaultWorkingDays the deadline of a case that comes without one, in working days after its assignedAt
 * @param backoff            growing delay of the poll after failures (5xx, timeouts, signature refused, malformed pages)
 * @param receiptRetry       growing delay between receipt attempts
 */
@ConfigurationProperties("hub.channels.national")
public record NationalProperties(boolean enabled, String apiBaseUrl, String appKey, String appSecret, Duration pollInterval,
                                 Duration receiptWithin, Duration feedbackWarnBefore, int defaultWorkingDays,
                                 int maxPagesPerRun, HubProperties.Retry backoff, HubProperties.Retry receiptRetry) {

    public NationalProperties {
        receiptWithin = receiptWithin == null ? Duration.ofHours(1) : receiptWithin;
        feedbackWarnBefore = feedbackWarnBefore == null ? Duration.ofDays(1) : feedbackWarnBefore;
        defaultWorkingDays = defaultWorkingDays <= 0 ? 5 : defaultWorkingDays;
        maxPagesPerRun = maxPagesPerRun <= 0 ? 20 : maxPagesPerRun;
        backoff = backoff == null ? new HubProperties.Retry(Duration.ofSeconds(30), 2.0, Duration.ofMinutes(30), null, null) : backoff;
        receiptRetry = receiptRetry == null ? new HubProperties.Retry(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(10), null, null)
                : receiptRetry;
    }

    @Override
    public String toString() {
        return "NationalProperties[enabled=" + enabled + ", apiBaseUrl=" + apiBaseUrl + ", appKey=" + appKey + ", appSecret=***]";
    }
}
