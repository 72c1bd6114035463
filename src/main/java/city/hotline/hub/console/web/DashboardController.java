package city.hotline.hub.console.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * {@code /console}: intake per channel per hour (today and the last 7 days, ECharts), merges, tickets
 * waiting for a back-end, stuck tickets, replies pending or failed per channel, quarantine size. The
 * figures are a fragment ({@code /console/dashboard/figures}) that htmx reloads every
 * {@code hub.console.refresh-seconds}; the chart data comes from {@code /console/dashboard/intake}.
 */
@Controller
public class DashboardController {

    private final ConsoleQueries queries;
    private final ConsoleProperties props;

    public DashboardController(ConsoleQueries queries, ConsoleProperties props) {
        this.queries = queries;
        this.props = props;
    }

    @GetMapping("/console")
    String dashboard(Model model) {
        figures(model);
        return "console/dashboard";
    }

    @GetMapping("/console/dashboard/figures")
    String figuresFragment(Model model) {
        figures(model);
        return "console/dashboard :: figures";
    }

    private void figures(Model model) {
        Instant today = LocalDate.now(ConsoleQueries.ZONE).atStartOfDay(ConsoleQueries.ZONE).toInstant();
        model.addAttribute("counts", queries.dashboardCounts(today, props.stuckAfter()));
        model.addAttribute("replies", queries.repliesPerChannel());
        model.addAttribute("stuck", queries.stuckTickets(props.stuckAfter(), 20));
        model.addAttribute("stuckAfter", props.stuckAfter().toMinutes() + " min");
        model.addAttribute("refreshSeconds", props.refreshSeconds());
    }

    /**
     * Chart data: {@code hours} (labels in Asia/Shanghai) and one series per channel.
     *
     * @param days 1: today; 7: the last seven days, today included
     */
    @GetMapping(path = "/console/dashboard/intake", produces = "application/json")
    @ResponseBody
    Map<String, Object> intake(@RequestParam(defaultValue = "1") int days) {
        int d = days >= 7 ? 7 : 1;
        LocalDateTime start = LocalDate.now(ConsoleQueries.ZONE).minusDays(d - 1L).atStartOfDay();
        LocalDateTime end = LocalDateTime.now(ConsoleQueries.ZONE).truncatedTo(ChronoUnit.HOURS);
        List<String> hours = new ArrayList<>();
        for (LocalDateTime h = start; !h.isAfter(end); h = h.plusHours(1)) {
            hours.add(h.toString().replace('T', ' '));
        }
        Map<String, long[]> series = new LinkedHashMap<>();
        List<Map<String, Object>> rows = queries.intakePerHour(start.atZone(ConsoleQueries.ZONE).toInstant());
        TreeSet<String> channels = new TreeSet<>();
        rows.forEach(r -> channels.add((String) r.get("channel")));
        channels.forEach(c -> series.put(c, new long[hours.size()]));
        for (Map<String, Object> r : rows) {
            LocalDateTime hour = ((java.sql.Timestamp) r.get("hour")).toLocalDateTime();
            int i = (int) ChronoUnit.HOURS.between(start, hour);
            if (i >= 0 && i < hours.size()) {
                series.get((String) r.get("channel"))[i] = ((Number) r.get("n")).longValue();
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        series.forEach((c, v) -> out.add(Map.of("name", c, "data", v)));
        return Map.of("hours", hours, "series", out);
    }
}
