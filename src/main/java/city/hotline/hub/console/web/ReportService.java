package city.hotline.hub.console.web;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Builds the 日通报 / 周汇总 / 月分析 (docs/console.md): tickets created in the period (Asia/Shanghai
 * days; weeks Monday to Sunday; calendar months), counted by channel, category, district, street,
 * 七有 and 五性; the largest clusters of merged reports; and the 三率 per back-end, district and channel.
 * <p>
 * A ticket merged into another ({@code mergedInto}) is counted in its cluster, not again on its own.
 * The 三率, over the tickets of the period:
 * <ul>
 * <li>响应率: acknowledged by the back-end (a status ACCEPTED or later applied) within
 *     {@code hub.console.response-limit} of the ticket's creation, of all tickets;</li>
 * <li>解决率: closed as resolved (status now CLOSED or EVALUATED), of all tickets;</li>
 * <li>满意率: rated 非常满意 or 满意, of the tickets rated at all.</li>
 * </ul>
 */
@Service
public class ReportService {

    static final String NONE = "(未填)";

    private final NamedParameterJdbcTemplate jdbc;
    private final QiyouWuxing dimensions;
    private final Duration responseLimit;

    public ReportService(NamedParameterJdbcTemplate jdbc, QiyouWuxing dimensions, ConsoleProperties props) {
        this.jdbc = jdbc;
        this.dimensions = dimensions;
        this.responseLimit = props.responseLimit();
    }

    /** One ticket of the period, as the report needs it. */
    record Row(String ticketId, String channel, String district, String street, String category, List<String> path,
               String status, String satisfaction, Instant createdAt, Instant acknowledgedAt, List<String> backends) {

        boolean responded(Duration limit) {
            return acknowledgedAt != null && !acknowledgedAt.isAfter(createdAt.plus(limit));
        }

        boolean resolved() {
            return "CLOSED".equals(status) || "EVALUATED".equals(status);
        }

        boolean rated() {
            return satisfaction != null;
        }

        boolean satisfied() {
            return "VERY_SATISFIED".equals(satisfaction) || "SATISFIED".equals(satisfaction);
        }
    }

    public static LocalDate[] range(Report.Period period, LocalDate date) {
        return switch (period) {
            case DAILY -> new LocalDate[] {date, date.plusDays(1)};
            case WEEKLY -> {
                LocalDate monday = date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                yield new LocalDate[] {monday, monday.plusWeeks(1)};
            }
            case MONTHLY -> new LocalDate[] {date.withDayOfMonth(1), date.withDayOfMonth(1).plusMonths(1)};
        };
    }

    /** @param text how free text is shown to the user asking (titles of clusters are masked for an operator) */
    public Report build(Report.Period period, LocalDate date, Function<Object, String> text) {
        LocalDate[] r = range(period, date);
        Instant from = r[0].atStartOfDay(ConsoleQueries.ZONE).toInstant();
        Instant to = r[1].atStartOfDay(ConsoleQueries.ZONE).toInstant();
        List<Row> rows = rows(from, to);
        List<Report.Section> sections = new ArrayList<>();
        sections.add(new Report.Section("summary", "总体三率", RATE_HEADERS("范围"), List.of(rates("全部", rows))));
        sections.add(counts("channel", "按渠道", "渠道", rows, x -> List.of(x.channel())));
        sections.add(countsCategory(rows));
        sections.add(counts("district", "按区县", "区县", rows, x -> List.of(x.district())));
        sections.add(countsStreet(rows));
        sections.add(counts("qiyou", "按七有", "七有", rows, x -> List.of(dimensions.of(x.category(), x.path()).qiyou())));
        sections.add(counts("wuxing", "按五性", "五性", rows, x -> List.of(dimensions.of(x.category(), x.path()).wuxing())));
        sections.add(clusters(from, to, text));
        sections.add(rateSection("rates-backend", "三率·按承办系统", "承办系统", rows, Row::backends));
        sections.add(rateSection("rates-district", "三率·按区县", "区县", rows, x -> List.of(x.district())));
        sections.add(rateSection("rates-channel", "三率·按渠道", "渠道", rows, x -> List.of(x.channel())));
        String title = "12345热线" + period.label + " " + r[0] + (period == Report.Period.DAILY ? "" : " 至 " + r[1].minusDays(1));
        return new Report(title, period, r[0], r[1], sections);
    }

    List<Row> rows(Instant from, Instant to) {
        return jdbc.query("""
                SELECT t.ticket_id, t.status, t.created_at, t.body->>'satisfaction' AS satisfaction,
                       t.body->'location'->>'district' AS district, t.body->'location'->>'street' AS street,
                       t.body->'category'->>'code' AS category, t.body->'category'->'path' AS path,
                       (SELECT o.channel FROM ticket_origin o WHERE o.ticket_id = t.ticket_id ORDER BY o.id LIMIT 1) AS channel,
                       (SELECT min(s.at) FROM status_update s WHERE s.ticket_id = t.ticket_id AND s.outcome = 'APPLIED'
                          AND s.status NOT IN ('RECEIVED', 'FORWARDED', 'RETURNED')) AS acknowledged_at,
                       ARRAY(SELECT DISTINCT f.backend FROM forward_outbox f WHERE f.ticket_id = t.ticket_id ORDER BY 1) AS backends
                FROM ticket t
                WHERE t.created_at >= :from AND t.created_at < :to AND t.body->>'mergedInto' IS NULL""",
                new MapSqlParameterSource("from", Timestamp.from(from)).addValue("to", Timestamp.from(to)),
                (rs, i) -> new Row(rs.getString("ticket_id"), or(rs.getString("channel")), or(rs.getString("district")),
                        or(rs.getString("street")), or(rs.getString("category")), path(rs.getString("path")),
                        rs.getString("status"), rs.getString("satisfaction"), rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("acknowledged_at") == null ? null : rs.getTimestamp("acknowledged_at").toInstant(),
                        backends(rs.getArray("backends"))));
    }

    private static String or(String s) {
        return s == null || s.isBlank() ? NONE : s;
    }

    private static List<String> path(String json) {
        if (json == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : Json.read(json)) {
            out.add(n.asText());
        }
        return out;
    }

    private static List<String> backends(Array a) throws SQLException {
        List<String> out = a == null ? List.of() : List.of((String[]) a.getArray());
        return out.isEmpty() ? List.of("(未转派)") : out;
    }

    private static Report.Section counts(String id, String title, String header, List<Row> rows, Function<Row, List<String>> key) {
        Map<String, Long> n = new TreeMap<>();
        rows.forEach(r -> key.apply(r).forEach(k -> n.merge(k, 1L, Long::sum)));
        List<List<Object>> out = new ArrayList<>();
        n.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.add(List.of(e.getKey(), e.getValue())));
        return new Report.Section(id, title, List.of(header, "工单数"), out);
    }

    private static Report.Section countsCategory(List<Row> rows) {
        Map<String, Object[]> n = new TreeMap<>();
        for (Row r : rows) {
            Object[] v = n.computeIfAbsent(r.category(), k -> new Object[] {String.join(" / ", r.path()), 0L});
            v[1] = (Long) v[1] + 1;
        }
        List<List<Object>> out = new ArrayList<>();
        n.entrySet().stream().sorted(Comparator.comparing((Map.Entry<String, Object[]> e) -> -(Long) e.getValue()[1]).thenComparing(Map.Entry::getKey))
                .forEach(e -> out.add(List.of(e.getKey(), e.getValue()[0], e.getValue()[1])));
        return new Report.Section("category", "按诉求分类", List.of("分类编码", "分类", "工单数"), out);
    }

    private static Report.Section countsStreet(List<Row> rows) {
        Map<List<String>, Long> n = new LinkedHashMap<>();
        rows.forEach(r -> n.merge(List.of(r.district(), r.street()), 1L, Long::sum));
        List<List<Object>> out = new ArrayList<>();
        n.entrySet().stream().sorted(Comparator.comparing((Map.Entry<List<String>, Long> e) -> -e.getValue())
                        .thenComparing(e -> e.getKey().get(0) + "/" + e.getKey().get(1)))
                .forEach(e -> out.add(List.of(e.getKey().get(0), e.getKey().get(1), e.getValue())));
        return new Report.Section("street", "按街乡", List.of("区县", "街乡", "工单数"), out);
    }

    static List<String> RATE_HEADERS(String group) {
        return List.of(group, "工单数", "按时响应", "响应率", "办结", "解决率", "已评价", "满意", "满意率");
    }

    private List<Object> rates(String group, List<Row> rows) {
        long n = rows.size();
        long responded = rows.stream().filter(r -> r.responded(responseLimit)).count();
        long resolved = rows.stream().filter(Row::resolved).count();
        long rated = rows.stream().filter(Row::rated).count();
        long satisfied = rows.stream().filter(Row::satisfied).count();
        return List.of(group, n, responded, new Report.Rate(responded, n), resolved, new Report.Rate(resolved, n),
                rated, satisfied, new Report.Rate(satisfied, rated));
    }

    private Report.Section rateSection(String id, String title, String header, List<Row> rows, Function<Row, List<String>> key) {
        Map<String, List<Row>> groups = new TreeMap<>();
        rows.forEach(r -> key.apply(r).forEach(k -> groups.computeIfAbsent(k, x -> new ArrayList<>()).add(r)));
        List<List<Object>> out = new ArrayList<>();
        groups.forEach((k, v) -> out.add(rates(k, v)));
        return new Report.Section(id, title, RATE_HEADERS(header), out);
    }

    /**
     * The largest clusters (每月一题 candidates): tickets of the period with the most reports merged
     * in. A cluster's size is the largest of: its origins, 1 + its related tickets, 1 + its MERGED
     * events, 1 + the tickets merged into it; so it counts right however a merge was recorded.
     */
    private Report.Section clusters(Instant from, Instant to, Function<Object, String> text) {
        List<List<Object>> out = new ArrayList<>();
        jdbc.query("""
                SELECT * FROM (
                    SELECT t.ticket_id, t.body->>'title' AS title, t.body->'location'->>'district' AS district,
                           t.body->'category'->>'code' AS category,
                           GREATEST((SELECT count(*) FROM ticket_origin o WHERE o.ticket_id = t.ticket_id),
                                    1 + COALESCE(jsonb_array_length(CASE WHEN jsonb_typeof(t.body->'related') = 'array' THEN t.body->'related' END), 0),
                                    1 + (SELECT count(*) FROM ticket_event e WHERE e.ticket_id = t.ticket_id AND e.kind = 'MERGED'),
                                    1 + (SELECT count(*) FROM ticket m WHERE m.body->>'mergedInto' = t.ticket_id)) AS size
                    FROM ticket t
                    WHERE t.created_at >= :from AND t.created_at < :to AND t.body->>'mergedInto' IS NULL) c
                WHERE size > 1 ORDER BY size DESC, ticket_id LIMIT 20""",
                new MapSqlParameterSource("from", Timestamp.from(from)).addValue("to", Timestamp.from(to)),
                rs -> {
                    out.add(List.of(rs.getString("ticket_id"), text.apply(rs.getString("title")), or(rs.getString("district")),
                            or(rs.getString("category")), rs.getLong("size")));
                });
        return new Report.Section("clusters", "合并最多的诉求（每月一题候选）", List.of("工单编号", "标题", "区县", "分类编码", "合并件数"), out);
    }
}
