package city.hotline.hub.channel.national;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code hub_national_feedback_due_soon}: national cases whose deadline ({@code dueAt}) is less than
 * {@code hub.channels.national.feedback-warn-before} away, or past, and whose feedback report has not
 * been sent. Read from the database at scrape time, so every instance shows the same figure.
 */
@Component
public class NationalMetrics {

    public NationalMetrics(MeterRegistry registry, NationalCaseStore cases, NationalProperties props) {
        Gauge.builder("hub.national.feedback.due.soon", cases, c -> {
                    try {
                        return props.enabled() ? c.countFeedbackDueSoon(props.feedbackWarnBefore()) : 0;
                    } catch (RuntimeException e) {
                        return Double.NaN;
                    }
                })
                .description("national cases near or past their deadline without a feedback report").register(registry);
    }
}
