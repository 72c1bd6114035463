package city.hotline.hub.console.web;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Everything the console pages read, straight from the shared tables (never from one instance's
 * memory), so every instance shows the same. Fields that later features add to the ticket body
 * (location, category, related, ...) are read by JSON path and simply appear when present.
 */
@Repository
public class ConsoleQueries {

    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** The quarantine page shows this much of a raw payload (a body may be up to 1 MiB). */
    public static final int PAYLOAD_SHOWN = 4000;

    private final NamedParameterJdbcTemplate jdbc;

    public ConsoleQueries(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    // ---- dashboard ----

    /** Arrivals (inbox rows, quarantined ones included) per channel and hour since {@code from}. */
    public List<Map<String, Object>> intakePerHour(Instant from) {
        return jdbc.queryForList("""
                SELECT channel, date_trunc('hour', received_at AT TIME ZONE 'Asia/Shanghai') AS hour, count(*) AS n
                FROM inbox WHERE received_at >= :from GROUP BY 1, 2 ORDER BY 2, 1""",
                new MapSqlParameterSource("from", Timestamp.from(from)));
    }

    public Map<String, Object> dashboardCounts(Instant todayStart, Duration stuckAfter) {
        MapSqlParameterSource p = new MapSqlParameterSource("today", Timestamp.from(todayStart))
                .addValue("stuck", Timestamp.from(Instant.now().minus(stuckAfter)));
        return jdbc.queryForMap("""
                SELECT (SELECT count(*) FROM inbox WHERE received_at >= :today) AS "intakeToday",
                       (SELECT count(*) FROM ticket WHERE created_at >= :today) AS "ticketsToday",
                       (SELECT count(*) FROM ticket_event WHERE kind = 'MERGED' AND at >= :today) AS "mergesToday",
                       (SELECT count(DISTINCT ticket_id) FROM forward_outbox WHERE state = 'PENDING') AS "waitingForBackend",
                       (SELECT count(DISTINCT ticket_id) FROM forward_outbox
                         WHERE (state = 'PENDING' AND created_at < :stuck) OR state = 'QUARANTINED') AS "stuck",
                       (SELECT count(*) FROM quarantine WHERE state = 'OPEN') AS "quarantine\"""", p);
    }

    /** Replies PENDING and FAILED per channel. */
    public List<Map<String, Object>> repliesPerChannel() {
        return jdbc.queryForList("""
                SELECT channel, count(*) FILTER (WHERE state = 'PENDING') AS pending, count(*) FILTER (WHERE state = 'FAILED') AS failed
                FROM reply_delivery WHERE state IN ('PENDING', 'FAILED') GROUP BY channel ORDER BY channel""", Map.of());
    }

    /** The tickets stuck on their way to a back-end, oldest first. */
    public List<Map<String, Object>> stuckTickets(Duration stuckAfter, int limit) {
        return jdbc.queryForList("""
                SELECT ticket_id AS "ticketId", backend, state, attempts, created_at AS "since", last_error AS "lastError"
                FROM forward_outbox
                WHERE (state = 'PENDING' AND created_at < :stuck) OR state = 'QUARANTINED'
                ORDER BY created_at LIMIT :limit""",
                new MapSqlParameterSource("stuck", Timestamp.from(Instant.now().minus(stuckAfter))).addValue("limit", limit));
    }

    // ---- ticket search ----

    public record Search(String ticketId, String channel, String channelItemId, String phone, String district,
                         String category, String status, LocalDate date) {

        static String blank(String s) {
            return s == null || s.isBlank() ? null : s.strip();
        }

        public Search {
            ticketId = blank(ticketId);
            channel = blank(channel);
            channelItemId = blank(channelItemId);
            phone = blank(phone);
            district = blank(district);
            category = blank(category);
            status = blank(status);
        }

        public boolean empty() {
            return ticketId == null && channel == null && channelItemId == null && phone == null && district == null
                    && category == null && status == null && date == null;
        }
    }

    public List<Map<String, Object>> search(Search s, int limit) {
        String digits = s.phone() == null ? null : s.phone().replaceAll("[^0-9]", "");
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("id", s.ticketId()).addValue("channel", s.channel()).addValue("item", s.channelItemId())
                .addValue("phone", digits == null || digits.isEmpty() ? null : "%" + digits)
                .addValue("district", s.district()).addValue("category", s.category() == null ? null : s.category() + "%")
                .addValue("status", s.status())
                .addValue("from", s.date() == null ? null : Timestamp.from(s.date().atStartOfDay(ZONE).toInstant()))
                .addValue("to", s.date() == null ? null : Timestamp.from(s.date().plusDays(1).atStartOfDay(ZONE).toInstant()))
                .addValue("limit", limit);
        return jdbc.queryForList("""
                SELECT t.ticket_id AS "ticketId", t.status, t.created_at AS "createdAt", t.body->>'title' AS title,
                       t.body->'requester'->>'phone' AS phone, t.body->'location'->>'district' AS district,
                       t.body->'location'->>'street' AS street, t.body->'category'->>'code' AS category,
                       (SELECT string_agg(o.channel || ' ' || o.channel_item_id, ', ' ORDER BY o.id)
                          FROM ticket_origin o WHERE o.ticket_id = t.ticket_id) AS origins
                FROM ticket t
                WHERE (CAST(:id AS text) IS NULL OR t.ticket_id = :id)
                  AND (CAST(:channel AS text) IS NULL AND CAST(:item AS text) IS NULL
                       OR EXISTS (SELECT 1 FROM ticket_origin o WHERE o.ticket_id = t.ticket_id
                                  AND (CAST(:channel AS text) IS NULL OR o.channel = :channel)
                                  AND (CAST(:item AS text) IS NULL OR o.channel_item_id = :item)))
                  AND (CAST(:phone AS text) IS NULL OR regexp_replace(t.body->'requester'->>'phone', '[^0-9]', '', 'g') LIKE :phone)
                  AND (CAST(:district AS text) IS NULL OR t.body->'location'->>'district' = :district)
                  AND (CAST(:category AS text) IS NULL OR t.body->'category'->>'code' LIKE :category)
                  AND (CAST(:status AS text) IS NULL OR t.status = :status)
                  AND (CAST(:from AS timestamptz) IS NULL OR (t.created_at >= :from AND t.created_at < :to))
                ORDER BY t.created_at DESC LIMIT :limit""", p);
    }

    // ---- one ticket ----

    public Optional<Map<String, Object>> ticket(String ticketId) {
        return jdbc.queryForList("""
                SELECT ticket_id AS "ticketId", status, status_at AS "statusAt", version, created_at AS "createdAt",
                       updated_at AS "updatedAt", body::text AS body
                FROM ticket WHERE ticket_id = :id""", Map.of("id", ticketId)).stream().findFirst();
    }

    /** Each origin with the time its first delivery reached the hub (inbox), if still kept. */
    public List<Map<String, Object>> origins(String ticketId) {
        return jdbc.queryForList("""
                SELECT o.id, o.channel, o.client, o.channel_item_id AS "channelItemId", o.channel_user_id AS "channelUserId",
                       o.received_at AS "receivedAt",
                       (SELECT min(i.received_at) FROM inbox i WHERE i.channel = o.channel AND i.client = o.client
                          AND i.channel_item_id = o.channel_item_id) AS "arrivedAt"
                FROM ticket_origin o WHERE o.ticket_id = :id ORDER BY o.id""", Map.of("id", ticketId));
    }

    public List<Map<String, Object>> events(String ticketId) {
        return jdbc.queryForList("SELECT id, kind, at, detail::text AS detail, detail->>'score' AS score FROM ticket_event WHERE ticket_id = :id ORDER BY id",
                Map.of("id", ticketId));
    }

    /** Forwards to back-ends; a SENT row is the back-end's acknowledgement (2xx) of that version. */
    public List<Map<String, Object>> forwards(String ticketId) {
        return jdbc.queryForList("""
                SELECT id, backend, kind, version, state, attempts, created_at AS "createdAt", sent_at AS "sentAt",
                       next_attempt_at AS "nextAttemptAt", last_error AS "lastError"
                FROM forward_outbox WHERE ticket_id = :id ORDER BY id""", Map.of("id", ticketId));
    }

    public List<Map<String, Object>> statuses(String ticketId) {
        return jdbc.queryForList("""
                SELECT id, status, at, reply, handling_unit AS "handlingUnit", satisfaction, outcome, received_at AS "receivedAt"
                FROM status_update WHERE ticket_id = :id ORDER BY at, id""", Map.of("id", ticketId));
    }

    public List<Map<String, Object>> deliveries(String ticketId) {
        return jdbc.queryForList("""
                SELECT d.id, d.origin_id AS "originId", d.channel, o.channel_item_id AS "channelItemId", s.status, d.state,
                       d.attempts, d.last_error AS "lastError", d.next_attempt_at AS "nextAttemptAt", d.updated_at AS "updatedAt"
                FROM reply_delivery d JOIN ticket_origin o ON o.id = d.origin_id JOIN status_update s ON s.id = d.status_update_id
                WHERE d.ticket_id = :id ORDER BY d.origin_id, d.id""", Map.of("id", ticketId));
    }

    public Optional<String> ticketOfDelivery(long deliveryId) {
        return jdbc.queryForList("SELECT ticket_id FROM reply_delivery WHERE id = :id", Map.of("id", deliveryId), String.class)
                .stream().findFirst();
    }

    // ---- channels ----

    public List<String> knownChannels() {
        return jdbc.queryForList("""
                SELECT channel FROM poll_cursor UNION SELECT channel FROM channel_hold UNION SELECT channel FROM channel_token
                UNION SELECT channel FROM channel_pause UNION SELECT channel FROM inbox WHERE received_at > now() - interval '1 day'
                ORDER BY 1""", Map.of(), String.class);
    }

    /** Per channel: last arrival, arrivals and errors in the last hour. */
    public Map<String, Map<String, Object>> channelActivity() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Map<String, Object> r : jdbc.queryForList("""
                SELECT channel, max(received_at) AS "lastArrival", count(*) FILTER (WHERE received_at > now() - interval '1 hour') AS "lastHour"
                FROM inbox WHERE received_at > now() - interval '30 days' GROUP BY channel""", Map.of())) {
            out.computeIfAbsent((String) r.get("channel"), k -> new LinkedHashMap<>()).putAll(r);
        }
        for (Map<String, Object> r : jdbc.queryForList("""
                SELECT channel, sum(n) AS "errorsLastHour" FROM (
                    SELECT channel, count(*) AS n FROM quarantine WHERE received_at > now() - interval '1 hour' GROUP BY channel
                    UNION ALL
                    SELECT channel, count(*) FROM reply_delivery WHERE last_error IS NOT NULL AND updated_at > now() - interval '1 hour' GROUP BY channel
                    UNION ALL
                    SELECT channel, count(*) FROM poll_cursor WHERE last_error IS NOT NULL AND updated_at > now() - interval '1 hour' GROUP BY channel
                ) e GROUP BY channel""", Map.of())) {
            out.computeIfAbsent((String) r.get("channel"), k -> new LinkedHashMap<>()).put("errorsLastHour", r.get("errorsLastHour"));
        }
        return out;
    }

    public List<Map<String, Object>> cursors() {
        return jdbc.queryForList("""
                SELECT channel, source, watermark, run_high AS "runHigh", failures, next_poll_at AS "nextPollAt",
                       pause_reason AS "pauseReason", last_error AS "lastError", last_success_at AS "lastSuccessAt"
                FROM poll_cursor ORDER BY channel, source""", Map.of());
    }

    /** Token state only: never the token itself. */
    public List<Map<String, Object>> tokens() {
        return jdbc.queryForList("""
                SELECT channel, account, expires_at AS "expiresAt", updated_at AS "updatedAt",
                       CASE WHEN expires_at IS NULL THEN 'NO_EXPIRY' WHEN expires_at > now() THEN 'VALID' ELSE 'EXPIRED' END AS state
                FROM channel_token ORDER BY channel, account""", Map.of());
    }

    public List<Map<String, Object>> holds() {
        return jdbc.queryForList("SELECT channel, account, kind, code, reason, since, until FROM channel_hold ORDER BY channel, account, kind",
                Map.of());
    }

    public Map<String, Map<String, Object>> pauses() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Map<String, Object> r : jdbc.queryForList("SELECT channel, paused_by AS \"pausedBy\", reason, since FROM channel_pause", Map.of())) {
            out.put((String) r.get("channel"), r);
        }
        return out;
    }

    /** Instances seen recently, with the leader-only poll routes each runs. */
    public List<Map<String, Object>> instances(Duration fresh) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : jdbc.queryForList("""
                SELECT node_id AS "nodeId", array_to_string(pollers, ',') AS pollers, seen_at AS "seenAt"
                FROM console_instance WHERE seen_at > :fresh ORDER BY node_id""",
                new MapSqlParameterSource("fresh", Timestamp.from(Instant.now().minus(fresh))))) {
            out.add(r);
        }
        return out;
    }

    // ---- quarantine ----

    public List<Map<String, Object>> quarantine(String state, int limit) {
        return jdbc.queryForList("""
                SELECT id, channel, stage, ticket_id AS "ticketId", reason, left(payload, :shown) AS payload,
                       length(payload) AS "payloadLength", received_at AS "receivedAt", state,
                       replayed_at AS "replayedAt", discarded_by AS "discardedBy", note
                FROM quarantine WHERE state = :state ORDER BY id DESC LIMIT :limit""",
                new MapSqlParameterSource("state", state).addValue("limit", limit).addValue("shown", PAYLOAD_SHOWN));
    }
}
