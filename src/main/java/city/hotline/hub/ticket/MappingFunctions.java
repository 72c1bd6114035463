package city.hotline.hub.ticket;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

import city.hotline.hub.calendar.WorkingCalendar;
import com.dashjoin.jsonata.Jsonata;
import org.apache.camel.component.jsonata.JsonataFrameBinding;
import org.springframework.stereotype.Component;

/**
 * Functions the JSONata mappings in {@code mappings/} may call, for the two conversions JSONata
 * cannot express by itself: local times without a zone (channels send Asia/Shanghai wall-clock
 * time) and Chinese phone numbers to E.164. Bound as {@code $utc} and {@code $e164}; and
 * {@code $addWorkingDays(utcTime, n)}, a deadline n working days after a time on the hub's
 * working-day calendar (docs/calendar.md).
 */
@Component("jsonataFunctions")
public class MappingFunctions implements JsonataFrameBinding {

    public static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter SLASHED = DateTimeFormatter.ofPattern("yyyy/M/d H:mm[:ss]");

    private final WorkingCalendar calendar;

    public MappingFunctions(WorkingCalendar calendar) {
        this.calendar = calendar;
    }

    @Override
    public void bindToFrame(Jsonata.Frame frame) {
        frame.bind("utc", (Jsonata.Fn1<String, String>) MappingFunctions::utc);
        frame.bind("e164", (Jsonata.Fn1<String, String>) MappingFunctions::e164);
        frame.bind("addWorkingDays", (Jsonata.Fn2<String, Number, String>) this::addWorkingDays);
    }

    /**
     * The end (23:59:59 Asia/Shanghai) of the n-th working day after the day of {@code from} (any
     * time {@link #utc} reads), as UTC ISO-8601.
     *
     * @throws IllegalArgumentException when the time is missing or unreadable, or n is not a whole number >= 0
     */
    public String addWorkingDays(String from, Number n) {
        if (from == null) {
            throw new IllegalArgumentException("no start time to count working days from");
        }
        if (n == null || n.doubleValue() < 0 || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new IllegalArgumentException("working days must be a whole number >= 0, got " + n);
        }
        return calendar.addWorkingDays(Instant.parse(utc(from)), n.intValue()).toString();
    }

    /**
     * ISO-8601 with an offset, ISO-8601 local time, or {@code yyyy/M/d H:mm:ss}; the last two are
     * read as Asia/Shanghai. Returns UTC ISO-8601 (seconds precision).
     *
     * @throws IllegalArgumentException naming the value when it is none of these
     */
    public static String utc(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim();
        Instant instant;
        try {
            if (s.contains("/")) {
                instant = LocalDateTime.parse(s, SLASHED).atZone(SHANGHAI).toInstant();
            } else if (hasOffset(s)) {
                instant = OffsetDateTime.parse(s).toInstant();
            } else {
                instant = LocalDateTime.parse(s).atZone(SHANGHAI).toInstant();
            }
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a time in ISO-8601 or yyyy/M/d H:mm:ss: '" + text + "'");
        }
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static boolean hasOffset(String s) {
        int t = s.indexOf('T');
        if (t < 0) {
            return false;
        }
        String time = s.substring(t);
        return time.endsWith("Z") || time.contains("+") || time.lastIndexOf('-') > 0;
    }

    /**
     * Chinese numbers to E.164: mobiles (13912345678), +86 / 0086 prefixes, and landlines with a
     * trunk 0 (057188888888). Other numbers with a leading + are kept as they are.
     */
    public static String e164(String phone) {
        if (phone == null || phone.isBlank()) {
            return null;
        }
        boolean plus = phone.trim().startsWith("+");
        String digits = phone.replaceAll("[^0-9]", "");
        if (plus) {
            return "+" + digits;
        }
        if (digits.startsWith("0086")) {
            return "+86" + digits.substring(4);
        }
        if (digits.startsWith("86") && digits.length() == 13) {
            return "+" + digits;
        }
        if (digits.startsWith("0")) {
            return "+86" + digits.substring(1);
        }
        return "+86" + digits;
    }
}
