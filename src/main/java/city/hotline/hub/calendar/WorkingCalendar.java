package city.hotline.hub.calendar;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Working days as the hotline counts them: Monday to Friday, minus public holidays, plus the make-up
 * working days (调休) that fall on weekends, read from the calendar files ({@code hub.calendar.files},
 * format in {@code docs/calendar.md}). National-platform deadlines and routing deadlines both count on
 * it. A bad line stops start-up with the file, the line and the problem. Deadlines are counted in
 * Asia/Shanghai, where the days are, whatever the zone of the instant given.
 *
 * <p>Written by hand: the rule is a set lookup plus a weekday test, smaller than any business-calendar
 * library, and none of them ships China's 调休 days.
 */
@Component
public class WorkingCalendar {

    private static final Logger LOG = LoggerFactory.getLogger(WorkingCalendar.class);
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private final Map<LocalDate, Boolean> exceptions;
    private final Set<Integer> coveredYears;
    private final Set<Integer> warnedYears = ConcurrentHashMap.newKeySet();

    @org.springframework.beans.factory.annotation.Autowired // two constructors: Spring must be told which one
    public WorkingCalendar(@Value("${hub.calendar.files:classpath*:mappings/calendar/*.csv}") String files) {
        this(load(files));
    }

    private WorkingCalendar(Map<LocalDate, Boolean> exceptions) {
        this.exceptions = Map.copyOf(exceptions);
        this.coveredYears = new TreeSet<>();
        exceptions.keySet().forEach(d -> coveredYears.add(d.getYear()));
        LOG.info("Working-day calendar covers {} ({} holidays and make-up days)", coveredYears, exceptions.size());
    }

    /** A calendar from CSV text, for tests and the dry-run tools. */
    public static WorkingCalendar of(String name, String csv) {
        Map<LocalDate, Boolean> days = new HashMap<>();
        parse(name, csv, days);
        return new WorkingCalendar(days);
    }

    public boolean isWorkingDay(LocalDate day) {
        Boolean exception = exceptions.get(day);
        if (exception != null) {
            return exception;
        }
        if (!coveredYears.contains(day.getYear()) && warnedYears.add(day.getYear())) {
            LOG.warn("No calendar file covers {}: counting Monday to Friday only. Add the year's holidays to hub.calendar.files",
                    day.getYear());
        }
        DayOfWeek dow = day.getDayOfWeek();
        return dow != DayOfWeek.SATURDAY && dow != DayOfWeek.SUNDAY;
    }

    public Set<Integer> coveredYears() {
        return Set.copyOf(coveredYears);
    }

    /**
     * The end of the {@code n}-th working day after the day of {@code from} (the day itself does not
     * count, as in "办结时限 5 个工作日"): 23:59:59 Asia/Shanghai of that day.
     */
    public Instant addWorkingDays(Instant from, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("working days must not be negative: " + n);
        }
        LocalDate day = from.atZone(ZONE).toLocalDate();
        int left = n;
        while (left > 0) {
            day = day.plusDays(1);
            if (isWorkingDay(day)) {
                left--;
            }
        }
        return day.atTime(23, 59, 59).atZone(ZONE).toInstant();
    }

    /** Working days strictly after the day of {@code from} up to and including the day of {@code to}. */
    public int workingDaysBetween(Instant from, Instant to) {
        LocalDate a = from.atZone(ZONE).toLocalDate();
        LocalDate b = to.atZone(ZONE).toLocalDate();
        int count = 0;
        for (LocalDate d = a.plusDays(1); !d.isAfter(b); d = d.plusDays(1)) {
            if (isWorkingDay(d)) {
                count++;
            }
        }
        return count;
    }

    private static Map<LocalDate, Boolean> load(String pattern) {
        Map<LocalDate, Boolean> days = new HashMap<>();
        try {
            Resource[] found = new PathMatchingResourcePatternResolver().getResources(pattern);
            Arrays.sort(found, Comparator.comparing(Resource::getDescription));
            if (found.length == 0) {
                throw new IllegalStateException("hub.calendar.files: no calendar file matches " + pattern);
            }
            for (Resource r : found) {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(r.getInputStream(), StandardCharsets.UTF_8))) {
                    parse(r.getFilename(), in.lines().reduce(new StringBuilder(), (sb, l) -> sb.append(l).append('\n'),
                            StringBuilder::append).toString(), days);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("hub.calendar.files: cannot read " + pattern + ": " + e.getMessage(), e);
        }
        return days;
    }

    private static void parse(String file, String csv, Map<LocalDate, Boolean> days) {
        String[] lines = csv.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("date,")) {
                continue;
            }
            String where = file + " line " + (i + 1) + ": ";
            String[] f = line.split(",", -1);
            if (f.length < 2) {
                throw new IllegalStateException(where + "expected date,kind[,name], got '" + line + "'");
            }
            LocalDate date;
            try {
                date = LocalDate.parse(f[0].strip());
            } catch (DateTimeParseException e) {
                throw new IllegalStateException(where + "'" + f[0] + "' is not a date (YYYY-MM-DD)");
            }
            Boolean working = switch (f[1].strip()) {
                case "holiday" -> Boolean.FALSE;
                case "workday" -> Boolean.TRUE;
                default -> throw new IllegalStateException(where + "kind must be holiday or workday, got '" + f[1].strip() + "'");
            };
            Boolean before = days.put(date, working);
            if (before != null && !before.equals(working)) {
                throw new IllegalStateException(where + date + " is listed both as a holiday and as a working day");
            }
        }
    }
}
