package city.hotline.hub.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Tickets, their origins (the exact-dedup key) and their history. */
@Repository
public class TicketStore {

    public record Locked(String ticketId, String status, Instant statusAt, ObjectNode body, int version) {
    }

    public record Origin(long id, String ticketId, String channel, String channelItemId, String replyTarget) {
    }

    /** The exact-dedup key of an origin. Ordered, so a batch can take its locks in one order. */
    public record OriginKey(String channel, String client, String channelItemId) implements Comparable<OriginKey> {
        @Override
        public int compareTo(OriginKey o) {
            int c = channel.compareTo(o.channel);
            c = c != 0 ? c : client.compareTo(o.client);
            return c != 0 ? c : channelItemId.compareTo(o.channelItemId);
        }

        /** The text an item's advisory lock is taken on. */
        String lockText() {
            return channel + (char) 31 + client + (char) 31 + channelItemId;
        }
    }

    private final JdbcTemplate jdbc;

    public TicketStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Serialises work on these channel items across threads and hub instances until the transaction
     * ends: one statement, the locks taken in the keys' order (no two batches deadlock).
     */
    public void lockOrigins(List<OriginKey> keys) {
        String[] texts = keys.stream().sorted().map(OriginKey::lockText).distinct().toArray(String[]::new);
        jdbc.query("SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest(?::text[]) WITH ORDINALITY AS t(k, n) ORDER BY n",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("text", texts)), rs -> { });
    }

    /** The tickets that already hold some of these origins. */
    public java.util.Map<OriginKey, String> ticketIdsForOrigins(List<OriginKey> keys) {
        String[] channels = keys.stream().map(OriginKey::channel).toArray(String[]::new);
        String[] clients = keys.stream().map(OriginKey::client).toArray(String[]::new);
        String[] items = keys.stream().map(OriginKey::channelItemId).toArray(String[]::new);
        java.util.Map<OriginKey, String> found = new java.util.HashMap<>();
        jdbc.query("""
                SELECT o.channel, o.client, o.channel_item_id, o.ticket_id FROM ticket_origin o
                JOIN unnest(?::text[], ?::text[], ?::text[]) AS k(channel, client, item)
                  ON o.channel = k.channel AND o.client = k.client AND o.channel_item_id = k.item""",
                ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("text", channels));
                    ps.setArray(2, ps.getConnection().createArrayOf("text", clients));
                    ps.setArray(3, ps.getConnection().createArrayOf("text", items));
                },
                (org.springframework.jdbc.core.RowCallbackHandler) rs -> found.put(
                        new OriginKey(rs.getString(1), rs.getString(2), rs.getString(3)), rs.getString(4)));
        return found;
    }

    /** New tickets, with their first origin and their CREATED event, as JDBC batches (one round trip each). */
    /**
     * New tickets and their CREATED events, one statement each for the whole batch ({@link SqlArrays}:
     * per row, the statements were a third of the database's time on the inbox stage at full load).
     */
    public void insertAll(List<ObjectNode> created) {
        jdbc.update("""
                INSERT INTO ticket (ticket_id, status, body, created_at, updated_at)
                SELECT id, status, body::jsonb, created::timestamptz, updated::timestamptz
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS k(id, status, body, created, updated)""",
                SqlArrays.column(created, t -> t.get("ticketId").asText()), SqlArrays.column(created, t -> t.get("status").asText()),
                SqlArrays.column(created, Json::write), SqlArrays.column(created, t -> t.get("createdAt").asText()),
                SqlArrays.column(created, t -> t.get("updatedAt").asText()));
        jdbc.update("""
                INSERT INTO ticket_event (ticket_id, kind, detail)
                SELECT id, 'CREATED', detail::jsonb FROM unnest(?::text[], ?::text[]) AS k(id, detail)""",
                SqlArrays.column(created, t -> t.get("ticketId").asText()), SqlArrays.column(created, t -> {
                    var origin = t.get("origins").get(0);
                    return Json.write(java.util.Map.of(
                            "channel", origin.get("channel").asText(), "channelItemId", origin.get("channelItemId").asText()));
                }));
    }

    /** The first origin of each new ticket, one statement for all (see {@link #insertAll}). */
    public void insertOrigins(List<ObjectNode> created) {
        List<JsonNode> origins = created.stream().map(t -> t.get("origins").get(0)).toList();
        jdbc.update("""
                INSERT INTO ticket_origin (ticket_id, channel, client, channel_item_id, channel_user_id, reply_target, received_at)
                SELECT id, channel, client, item, user_id, reply::jsonb, received::timestamptz
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                     AS k(id, channel, client, item, user_id, reply, received)""",
                SqlArrays.column(created, t -> t.get("ticketId").asText()), SqlArrays.column(origins, o -> o.get("channel").asText()),
                SqlArrays.column(origins, o -> o.path("client").asText(InboxStore.Delivery.DEFAULT_CLIENT)),
                SqlArrays.column(origins, o -> o.get("channelItemId").asText()),
                SqlArrays.column(origins, o -> o.hasNonNull("channelUserId") ? o.get("channelUserId").asText() : null),
                SqlArrays.column(origins, o -> o.has("replyTarget") ? Json.write(o.get("replyTarget")) : null),
                SqlArrays.column(origins, o -> Instant.parse(o.get("receivedAt").asText()).toString()));
    }

    public void insert(ObjectNode ticket) {
        jdbc.update("""
                INSERT INTO ticket (ticket_id, status, body, created_at, updated_at)
                VALUES (?, ?, ?::jsonb, ?, ?)""",
                ticket.get("ticketId").asText(), ticket.get("status").asText(), Json.write(ticket),
                ts(ticket.get("createdAt").asText()), ts(ticket.get("updatedAt").asText()));
    }


    public void updateOriginReplyTarget(String channel, String client, String channelItemId, String replyTargetJson) {
        jdbc.update("UPDATE ticket_origin SET reply_target = ?::jsonb WHERE channel = ? AND client = ? AND channel_item_id = ?",
                replyTargetJson, channel, client, channelItemId);
    }

    /** The ticket locked for update ({@link #lockAll} of one: one way to lock tickets); empty if it does not exist. */
    public Optional<Locked> lock(String ticketId) {
        return Optional.ofNullable(lockAll(List.of(ticketId)).get(ticketId));
    }

    /**
     * Several tickets locked for update in one statement, in ticket id order (so two callers that lock
     * overlapping sets wait for each other rather than deadlock); a ticket that does not exist is absent.
     */
    public java.util.Map<String, Locked> lockAll(java.util.Collection<String> ticketIds) {
        java.util.Map<String, Locked> out = new java.util.LinkedHashMap<>();
        jdbc.query("SELECT ticket_id, status, status_at, body::text AS body, version FROM ticket WHERE ticket_id = ANY(?) ORDER BY ticket_id FOR UPDATE",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("text", ticketIds.stream().sorted().distinct().toArray())),
                (org.springframework.jdbc.core.RowCallbackHandler) rs -> out.put(rs.getString("ticket_id"), new Locked(rs.getString("ticket_id"),
                        rs.getString("status"), rs.getTimestamp("status_at") == null ? null : rs.getTimestamp("status_at").toInstant(),
                        Json.readObject(rs.getString("body")), rs.getInt("version"))));
        return out;
    }

    /** New bodies of several locked tickets whose status stays, one statement; returns each ticket's new version. */
    public java.util.Map<String, Integer> updateAll(List<ObjectNode> bodies) {
        java.util.Map<String, Integer> out = new java.util.HashMap<>();
        jdbc.query("""
                UPDATE ticket t SET body = u.body::jsonb, updated_at = u.updated::timestamptz, version = t.version + 1
                FROM unnest(?::text[], ?::text[], ?::text[]) AS u(id, body, updated) WHERE t.ticket_id = u.id
                RETURNING t.ticket_id, t.version""",
                ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("text", SqlArrays.column(bodies, b -> b.get("ticketId").asText())));
                    ps.setArray(2, ps.getConnection().createArrayOf("text", SqlArrays.column(bodies, Json::write)));
                    ps.setArray(3, ps.getConnection().createArrayOf("text", SqlArrays.column(bodies, b -> b.get("updatedAt").asText())));
                },
                (org.springframework.jdbc.core.RowCallbackHandler) rs -> out.put(rs.getString(1), rs.getInt(2)));
        return out;
    }

    /** @return the ticket's new version */
    public int update(String ticketId, ObjectNode body, String status, Instant statusAt) {
        return jdbc.queryForObject("""
                UPDATE ticket SET body = ?::jsonb, status = ?, status_at = COALESCE(?, status_at),
                       updated_at = ?, version = version + 1
                WHERE ticket_id = ? RETURNING version""", Integer.class,
                Json.write(body), status, statusAt == null ? null : Timestamp.from(statusAt),
                ts(body.get("updatedAt").asText()), ticketId);
    }

    /**
     * RECEIVED becomes FORWARDED once a back-end has the ticket; a later status is left alone. One
     * statement, without reading the ticket: this runs once per delivered ticket on the hot path.
     */
    public void markForwarded(String ticketId) {
        jdbc.update("""
                UPDATE ticket SET status = 'FORWARDED', updated_at = date_trunc('second', now()),
                       body = body || jsonb_build_object('status', 'FORWARDED',
                                                         'updatedAt', to_char(date_trunc('second', now()) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
                WHERE ticket_id = ? AND status = 'RECEIVED'""", ticketId);
    }

    /** {@link #markForwarded} for many tickets in one statement (ids in ascending order, the order every batch locks in). */
    public void markForwardedAll(List<String> ticketIds) {
        jdbc.update("""
                UPDATE ticket SET status = 'FORWARDED', updated_at = date_trunc('second', now()),
                       body = body || jsonb_build_object('status', 'FORWARDED',
                                                         'updatedAt', to_char(date_trunc('second', now()) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
                WHERE ticket_id = ANY (?::text[]) AND status = 'RECEIVED'""", (Object) ticketIds.stream().sorted().toArray(String[]::new));
    }

    public Optional<ObjectNode> find(String ticketId) {
        return jdbc.queryForList("SELECT body::text FROM ticket WHERE ticket_id = ?", String.class, ticketId)
                .stream().map(Json::readObject).findFirst();
    }

    public List<ObjectNode> search(String channel, String channelItemId, int limit) {
        return search(channel, channelItemId, null, List.of(), limit);
    }

    /**
     * @param client      null: every client's items (an admin); else only origins of this client
     * @param apiChannels with a client: the channels that come through the API (others are admin-only)
     */
    public List<ObjectNode> search(String channel, String channelItemId, String client, List<String> apiChannels, int limit) {
        return jdbc.queryForList("""
                SELECT t.body::text FROM ticket t
                WHERE EXISTS (SELECT 1 FROM ticket_origin o WHERE o.ticket_id = t.ticket_id
                              AND (?::text IS NULL OR o.channel = ?) AND (?::text IS NULL OR o.channel_item_id = ?)
                              AND (?::text IS NULL OR (o.client = ? AND o.channel = ANY (?::text[]))))
                ORDER BY t.created_at DESC LIMIT ?""", String.class,
                channel, channel, channelItemId, channelItemId, client, client, apiChannels.toArray(new String[0]), limit)
                .stream().map(Json::readObject).toList();
    }

    /** Whether {@code client} sent an origin of this ticket through one of the API channels. */
    public boolean visibleTo(String ticketId, String client, List<String> apiChannels) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM ticket_origin WHERE ticket_id = ? AND client = ? AND channel = ANY (?::text[])",
                Integer.class, ticketId, client, apiChannels.toArray(new String[0]));
        return n != null && n > 0;
    }

    /** The ticket a reply delivery belongs to. */
    public Optional<String> ticketOfDelivery(long deliveryId) {
        return jdbc.queryForList("SELECT ticket_id FROM reply_delivery WHERE id = ?", String.class, deliveryId).stream().findFirst();
    }

    public List<Origin> origins(String ticketId) {
        return jdbc.query("SELECT id, ticket_id, channel, channel_item_id, reply_target::text AS rt FROM ticket_origin WHERE ticket_id = ? ORDER BY id",
                (rs, i) -> new Origin(rs.getLong("id"), rs.getString("ticket_id"), rs.getString("channel"),
                        rs.getString("channel_item_id"), rs.getString("rt")), ticketId);
    }

    public void addEvent(String ticketId, String kind, Object detail) {
        jdbc.update("INSERT INTO ticket_event (ticket_id, kind, detail) VALUES (?, ?, ?::jsonb)",
                ticketId, kind, detail == null ? null : Json.write(detail));
    }

    /** Events of several tickets, one statement: {@code ticketIds.get(i)} gets {@code kinds.get(i)} with {@code details.get(i)}. */
    public void addEvents(List<String> ticketIds, List<String> kinds, List<Object> details) {
        jdbc.update("INSERT INTO ticket_event (ticket_id, kind, detail) SELECT id, kind, detail::jsonb FROM unnest(?::text[], ?::text[], ?::text[]) AS e(id, kind, detail)",
                ticketIds.toArray(String[]::new), kinds.toArray(String[]::new), details.stream().map(d -> d == null ? null : Json.write(d)).toArray(String[]::new));
    }

    public List<java.util.Map<String, Object>> events(String ticketId) {
        return jdbc.queryForList("SELECT kind, at, detail::text AS detail FROM ticket_event WHERE ticket_id = ? ORDER BY id", ticketId);
    }

    private static Timestamp ts(String isoUtc) {
        return Timestamp.from(Instant.parse(isoUtc));
    }
}
