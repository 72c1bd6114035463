package city.hotline.hub.channel.national;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import city.hotline.hub.store.PollCursorStore;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The national channel for operators ({@code /actuator/health}, component {@code national}):
 * <ul>
 * <li>DOWN while the platform refuses our signature (poll, receipt or feedback answered 401/403),
 *     naming where and the platform's answer;</li>
 * <li>DOWN while a case's receipt is not signed {@code receipt-within} after it was pulled, or was
 *     refused for good: which cases, since when, how many attempts, the last error;</li>
 * <li>details: the poll cursor, any back-off and its reason, and the cases whose deadline is near
 *     ({@code feedback-warn-before}) without a feedback report (status stays UP for those: the
 *     gauge {@code hub_national_feedback_due_soon} is for alerting).</li>
 * </ul>
 */
@Component("national")
public class NationalHealth implements HealthIndicator {

    private static final int LIST = 20;

    private final NationalProperties props;
    private final PollCursorStore cursors;
    private final NationalCaseStore cases;

    public NationalHealth(NationalProperties props, PollCursorStore cursors, NationalCaseStore cases) {
        this.props = props;
        this.cursors = cursors;
        this.cases = cases;
    }

    @Override
    public Health health() {
        if (!props.enabled()) {
            return Health.unknown().withDetail("enabled", false).build();
        }
        List<String> problems = new ArrayList<>();
        Map<String, Object> poll = new LinkedHashMap<>();
        cursors.find(NationalPoller.CHANNEL, NationalPoller.SOURCE).ifPresent(c -> {
            poll.put("cursor", c.runResume() == null ? "none yet (first run)" : c.runResume());
            if (c.lastSuccessAt() != null) {
                poll.put("lastSuccess", c.lastSuccessAt().toString());
            }
            if (c.failures() > 0) {
                poll.put("failures", c.failures());
                poll.put("lastError", c.lastError());
                if (c.nextPollAt() != null) {
                    poll.put("pausedUntil", c.nextPollAt().toString());
                    poll.put("pauseReason", c.pauseReason());
                }
                if (c.lastError() != null && c.lastError().contains(NationalResponses.SIGNATURE_REFUSED)) {
                    problems.add("the national platform refuses our signature (poll): check hub.channels.national.app-key,"
                            + " app-secret and the clock");
                }
            }
        });
        List<Map<String, Object>> refusals = cases.signatureRefusals(LIST);
        if (!refusals.isEmpty()) {
            problems.add("the national platform refuses our signature (" + refusals.get(0).get("what")
                    + "): check hub.channels.national.app-key, app-secret and the clock");
        }
        List<Map<String, Object>> overdue = new ArrayList<>();
        for (NationalCaseStore.Case c : cases.receiptsOverdue(props.receiptWithin(), LIST)) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("caseNo", c.caseNo());
            d.put("ticketId", c.ticketId() == null ? "none (case not ticketed: see the quarantine)" : c.ticketId());
            d.put("since", c.firstSeenAt().toString());
            d.put("state", c.state());
            d.put("attempts", c.attempts());
            if (c.lastError() != null) {
                d.put("lastError", c.lastError());
            }
            overdue.add(d);
        }
        if (!overdue.isEmpty()) {
            problems.add("receipt not signed within " + props.receiptWithin() + " for " + overdue.size()
                    + (overdue.size() == LIST ? "+" : "") + " case(s)");
        }
        List<Map<String, Object>> dueSoon = new ArrayList<>();
        for (NationalCaseStore.Case c : cases.feedbackDueSoon(props.feedbackWarnBefore(), LIST)) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("caseNo", c.caseNo());
            d.put("ticketId", c.ticketId());
            d.put("dueAt", c.dueAt().toString());
            dueSoon.add(d);
        }
        Health.Builder b = problems.isEmpty() ? Health.up() : Health.down().withDetail("problems", problems);
        b.withDetail("poll", poll);
        if (!refusals.isEmpty()) {
            b.withDetail("signatureRefused", refusals);
        }
        if (!overdue.isEmpty()) {
            b.withDetail("receiptsOverdue", overdue);
        }
        b.withDetail("feedbackDueSoon", dueSoon);
        return b.build();
    }
}
