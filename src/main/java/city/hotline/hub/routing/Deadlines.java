package city.hotline.hub.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import city.hotline.hub.calendar.WorkingCalendar;

/**
 * The deadline of each urgency level ({@code hub.routing.deadlines.<LEVEL>}): either a duration
 * ({@code 2h}, {@code 24h}, {@code PT30M}), counted on the clock, or {@code N working-days}, counted
 * on the working-day calendar (holidays and 调休 of calendar/WorkingCalendar; the deadline is the end
 * of the N-th working day after the day of receipt).
 */
public final class Deadlines {

    private static final Pattern WORKING_DAYS = Pattern.compile("\\s*([0-9]+)\\s*working[- ]days?\\s*");
    private static final Pattern SIMPLE = Pattern.compile("\\s*([0-9]+)\\s*(m|h|d)\\s*");

    private record Rule(Duration clock, int workingDays) {
    }

    private final Map<String, Rule> rules = new HashMap<>();
    private final WorkingCalendar calendar;

    public Deadlines(Map<String, String> config, WorkingCalendar calendar) {
        this.calendar = calendar;
        for (String level : UrgencyRules.LEVELS) {
            String v = config.get(level);
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("hub.routing.deadlines." + level + " is missing (e.g. 2h or '7 working-days')");
            }
            rules.put(level, parse(level, v));
        }
        for (String key : config.keySet()) {
            if (!UrgencyRules.LEVELS.contains(key)) {
                throw new IllegalArgumentException("hub.routing.deadlines." + key + ": unknown level; one of " + UrgencyRules.LEVELS);
            }
        }
    }

    private static Rule parse(String level, String v) {
        Matcher wd = WORKING_DAYS.matcher(v);
        if (wd.matches()) {
            return new Rule(null, Integer.parseInt(wd.group(1)));
        }
        Matcher s = SIMPLE.matcher(v);
        if (s.matches()) {
            long n = Long.parseLong(s.group(1));
            return new Rule(switch (s.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            }, 0);
        }
        try {
            return new Rule(Duration.parse(v.trim()), 0);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("hub.routing.deadlines." + level + " = '" + v
                    + "': expected a duration (2h, 24h, PT30M) or 'N working-days'");
        }
    }

    public Instant dueAt(String level, Instant receivedAt) {
        Rule r = rules.get(level);
        if (r == null) {
            throw new IllegalArgumentException("no deadline for urgency " + level);
        }
        return r.clock() != null ? receivedAt.plus(r.clock()) : calendar.addWorkingDays(receivedAt, r.workingDays());
    }
}
