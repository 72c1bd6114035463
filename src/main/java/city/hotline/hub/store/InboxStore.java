package city.hotline.hub.store;

import java.util.List;
import java.util.UUID;

import city.hotline.hub.ticket.Hashing;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Accepted deliveries, stored (and committed) before the channel gets its acknowledgement. */
@Repository
public class InboxStore {

    public record Receipt(UUID receiptId, boolean duplicate) {
    }

    private final JdbcTemplate jdbc;

    public InboxStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores one delivery. The same (channel, item id, payload) delivered again, also concurrently,
     * hits the unique constraint and gets the first receipt back: nothing new is stored.
     */
    public Receipt accept(String channel, String channelItemId, String payload) {
        String hash = Hashing.sha256Hex(payload);
        List<UUID> inserted = jdbc.queryForList("""
                INSERT INTO inbox (receipt_id, channel, channel_item_id, payload, payload_sha256)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT ON CONSTRAINT inbox_delivery_once DO NOTHING
                RETURNING receipt_id""", UUID.class, UUID.randomUUID(), channel, channelItemId, payload, hash);
        if (!inserted.isEmpty()) {
            return new Receipt(inserted.get(0), false);
        }
        UUID existing = jdbc.queryForObject(
                "SELECT receipt_id FROM inbox WHERE channel = ? AND channel_item_id = ? AND payload_sha256 = ?",
                UUID.class, channel, channelItemId, hash);
        return new Receipt(existing, true);
    }

    public void markDone(long id, String ticketId) {
        jdbc.update("UPDATE inbox SET state = 'DONE', ticket_id = ?, processed_at = now() WHERE id = ?", ticketId, id);
    }

    public void markQuarantined(long id) {
        jdbc.update("UPDATE inbox SET state = 'QUARANTINED', processed_at = now() WHERE id = ?", id);
    }

    public boolean requeue(long id) {
        return jdbc.update("UPDATE inbox SET state = 'PENDING', processed_at = NULL WHERE id = ? AND state = 'QUARANTINED'", id) == 1;
    }
}
