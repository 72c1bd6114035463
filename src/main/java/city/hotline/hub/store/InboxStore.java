package city.hotline.hub.store;

import java.sql.Array;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import city.hotline.hub.store.claim.Claim;
import city.hotline.hub.store.claim.ClaimLost;
import city.hotline.hub.store.claim.ClaimedRows;
import city.hotline.hub.store.claim.ClaimSource;
import city.hotline.hub.ticket.Hashing;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Accepted deliveries, stored (and committed) before the channel gets its acknowledgement, then
 * claimed in batches by the mapping stage ({@code claim:inboxStore}).
 */
@Repository("inboxStore")
public class InboxStore implements ClaimSource {

    public record Receipt(UUID receiptId, boolean duplicate) {
    }

    /** One delivery to store; {@code client} is the API client that sent it ('default' outside the API). */
    public record Delivery(String channel, String channelItemId, String payload, String client) {
        public static final String DEFAULT_CLIENT = "default";

        public Delivery(String channel, String channelItemId, String payload) {
            this(channel, channelItemId, payload, DEFAULT_CLIENT);
        }

        String sha256() {
            return Hashing.sha256Hex(payload);
        }
    }

    private final JdbcTemplate jdbc;
    private final ClaimedRows claimed;

    public InboxStore(JdbcTemplate jdbc, org.springframework.transaction.support.TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.claimed = new ClaimedRows(jdbc, tx, "inbox");
    }

    /**
     * Stores one delivery in the caller's transaction. The same (channel, item id, payload) delivered
     * again, also concurrently, hits the unique constraint and gets the first receipt back.
     */
    public Receipt accept(String channel, String channelItemId, String payload) {
        return acceptAll(List.of(new Delivery(channel, channelItemId, payload))).get(0);
    }

    public Receipt accept(Delivery delivery) {
        return acceptAll(List.of(delivery)).get(0);
    }

    /**
     * Stores several deliveries with one statement (the intake's group commit), in the caller's
     * transaction; receipts come back in the order of {@code deliveries}. Identical deliveries, within
     * the batch or stored before, share the first one's receipt.
     */
    public List<Receipt> acceptAll(List<Delivery> deliveries) {
        int n = deliveries.size();
        UUID[] ids = new UUID[n];
        String[] channels = new String[n];
        String[] items = new String[n];
        String[] payloads = new String[n];
        String[] hashes = new String[n];
        String[] clients = new String[n];
        for (int i = 0; i < n; i++) {
            Delivery d = deliveries.get(i);
            ids[i] = UUID.randomUUID();
            channels[i] = d.channel();
            items[i] = d.channelItemId();
            payloads[i] = d.payload();
            hashes[i] = d.sha256();
            clients[i] = d.client() == null ? Delivery.DEFAULT_CLIENT : d.client();
        }
        List<UUID> inserted = jdbc.execute((ConnectionCallback<List<UUID>>) con -> {
            Array a1 = con.createArrayOf("uuid", ids);
            Array a2 = con.createArrayOf("text", channels);
            Array a3 = con.createArrayOf("text", items);
            Array a4 = con.createArrayOf("text", payloads);
            Array a5 = con.createArrayOf("text", hashes);
            Array a6 = con.createArrayOf("text", clients);
            try (var ps = con.prepareStatement("""
                    INSERT INTO inbox (receipt_id, channel, channel_item_id, payload, payload_sha256, client)
                    SELECT * FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                    ON CONFLICT ON CONSTRAINT inbox_delivery_once DO NOTHING
                    RETURNING receipt_id""")) {
                ps.setArray(1, a1);
                ps.setArray(2, a2);
                ps.setArray(3, a3);
                ps.setArray(4, a4);
                ps.setArray(5, a5);
                ps.setArray(6, a6);
                List<UUID> out = new ArrayList<>();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getObject(1, UUID.class));
                    }
                }
                return out;
            }
        });
        java.util.Set<UUID> fresh = new java.util.HashSet<>(inserted);
        List<Receipt> receipts = new ArrayList<>(n);
        Map<String, UUID> existing = new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (fresh.contains(ids[i])) {
                receipts.add(new Receipt(ids[i], false));
                continue;
            }
            String key = channels[i] + '\u001f' + clients[i] + '\u001f' + items[i] + '\u001f' + hashes[i];
            int idx = i;
            UUID first = existing.computeIfAbsent(key, k -> jdbc.queryForObject(
                    "SELECT receipt_id FROM inbox WHERE channel = ? AND client = ? AND channel_item_id = ? AND payload_sha256 = ?",
                    UUID.class, channels[idx], clients[idx], items[idx], hashes[idx]));
            receipts.add(new Receipt(first, true));
        }
        return receipts;
    }

    /**
     * Due rows, oldest first. A row waits while an earlier row of the same channel item is pending,
     * so an item's versions are mapped in the order they arrived, also across threads and instances.
     */
    @Override
    public List<Map<String, Object>> claim(Claim claim, String lane, int max) {
        return claimed.claim("""
                UPDATE inbox i SET claim_owner = ?, claim_token = ?, claim_expires_at = now() + ? * interval '1 millisecond'
                WHERE i.id IN (
                    SELECT c.id FROM inbox c
                    WHERE c.state = 'PENDING' AND c.next_attempt_at <= now()
                      AND (c.claim_expires_at IS NULL OR c.claim_expires_at < now())
                      AND c.id = (SELECT min(e.id) FROM inbox e WHERE e.state = 'PENDING' AND e.channel = c.channel
                                  AND e.client = c.client AND e.channel_item_id = c.channel_item_id)
                    ORDER BY c.id LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING i.id, i.channel, i.client, i.channel_item_id, i.payload, i.received_at, i.attempts, i.claim_token""",
                claim.owner(), claim.token(), claim.leaseMillis(), max);
    }

    @Override
    public int releaseAll(String owner) {
        return claimed.releaseAll(owner);
    }

    @Override
    public String wakeChannel() {
        return "hub_inbox";
    }

    /** An inbox row that became (part of) a ticket. */
    public record Done(long inboxId, UUID claimToken, String ticketId) {
    }

    /** {@link #markDone} for a batch, as one JDBC batch; every row must still be held by its claim. */
    /** In one statement; if any row's claim is lost, nothing is marked ({@link ClaimLost}: the batch is rolled back). */
    public void markAllDone(List<Done> done) {
        java.util.Set<Long> settled = claimed.settleMany("state = 'DONE', ticket_id = k.ticket, processed_at = now(), last_error = NULL",
                done.stream().map(Done::inboxId).toList(), done.stream().map(Done::claimToken).toList(),
                SqlArrays.column(done, Done::ticketId));
        for (Done d : done) {
            if (!settled.contains(d.inboxId())) {
                throw new ClaimLost("inbox", d.inboxId());
            }
        }
    }

    /** Marks the row done, in the ticket's transaction; only the claim that holds the row may. */
    public void markDone(long id, UUID claimToken, String ticketId) {
        claimed.settle(id, claimToken, "state = 'DONE', ticket_id = ?, processed_at = now(), last_error = NULL", ticketId);
    }

    public void markQuarantined(long id, UUID claimToken, String reason) {
        claimed.settle(id, claimToken, "state = 'QUARANTINED', processed_at = now(), last_error = ?, attempts = attempts + 1", reason);
    }

    /** Gives the row back for a later attempt (the database or another service failed, not the item). */
    public boolean release(long id, UUID claimToken, Instant nextAttemptAt, String error) {
        return claimed.trySettle(id, claimToken, "attempts = attempts + 1, next_attempt_at = ?, last_error = ?",
                Timestamp.from(nextAttemptAt), error);
    }

    public boolean requeue(long id) {
        return jdbc.update("""
                UPDATE inbox SET state = 'PENDING', processed_at = NULL, attempts = 0, next_attempt_at = now(), last_error = NULL
                WHERE id = ? AND state = 'QUARANTINED'""", id) == 1;
    }
}
