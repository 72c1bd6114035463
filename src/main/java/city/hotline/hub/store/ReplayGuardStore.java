package city.hotline.hub.store;

import java.time.Duration;
import java.time.Instant;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * What has been seen already, in PostgreSQL so that every hub instance on the database agrees:
 * status webhook ids, WeChat push nonces (with the answer given, for WeChat's own retries) and
 * WeChat events. Ids and nonces expire; expired rows are deleted now and then by whichever
 * instance writes (at most once a minute each), and an expired row may be taken again.
 */
@Repository
public class ReplayGuardStore {

    /** What a push nonce was seen with before. */
    public sealed interface Nonce {
    }

    /** Never seen (or expired): this push is the first. */
    public record FirstNonce() implements Nonce {
    }

    /** Seen with the same body: WeChat's retry; {@code status} is null while the first is unanswered. */
    public record RetriedNonce(Integer status, String answer) implements Nonce {
    }

    /** Seen with another body: a replayed query string. */
    public record ReusedNonce() implements Nonce {
    }

    private static final long PURGE_EVERY_MILLIS = 60_000;
    private final JdbcTemplate jdbc;
    private final AtomicLong lastPurge = new AtomicLong();

    public ReplayGuardStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** True the first time a webhook id is seen within {@code keep}; in the caller's transaction. */
    public boolean firstWebhookId(String webhookId, Duration keep) {
        purgeNowAndThen();
        List<String> taken = jdbc.queryForList("""
                INSERT INTO status_webhook_id (webhook_id, expires_at) VALUES (?, ?)
                ON CONFLICT (webhook_id) DO UPDATE SET received_at = now(), expires_at = excluded.expires_at
                WHERE status_webhook_id.expires_at < now()
                RETURNING webhook_id""", String.class, webhookId, Timestamp.from(Instant.now().plus(keep)));
        return !taken.isEmpty();
    }

    /** Records a push nonce with the hash of its body, or says how it was seen before. */
    public Nonce pushNonce(String appId, String nonce, String bodySha256, Duration keep) {
        purgeNowAndThen();
        List<String> taken = jdbc.queryForList("""
                INSERT INTO weixin_push_nonce (app_id, nonce, body_sha256, expires_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (app_id, nonce) DO UPDATE SET body_sha256 = excluded.body_sha256, status = NULL,
                    answer = NULL, received_at = now(), expires_at = excluded.expires_at
                WHERE weixin_push_nonce.expires_at < now()
                RETURNING nonce""", String.class, appId, nonce, bodySha256, Timestamp.from(Instant.now().plus(keep)));
        if (!taken.isEmpty()) {
            return new FirstNonce();
        }
        return jdbc.query("SELECT body_sha256, status, answer FROM weixin_push_nonce WHERE app_id = ? AND nonce = ?",
                rs -> {
                    if (!rs.next()) {
                        // expired and purged between the two statements: as good as new
                        return (Nonce) new FirstNonce();
                    }
                    if (!bodySha256.equals(rs.getString(1))) {
                        return new ReusedNonce();
                    }
                    int status = rs.getInt(2);
                    return new RetriedNonce(rs.wasNull() ? null : status, rs.getString(3));
                }, appId, nonce);
    }

    /** The answer the first push of a nonce got, for WeChat's retries of it. */
    public void pushAnswered(String appId, String nonce, int status, String answer) {
        jdbc.update("UPDATE weixin_push_nonce SET status = ?, answer = ? WHERE app_id = ? AND nonce = ?", status, answer, appId, nonce);
    }

    /** True the first time an event (FromUserName + CreateTime + Event) is stored. */
    public boolean firstEvent(String appId, String openId, long createTime, String event, String eventKey) {
        return jdbc.update("""
                INSERT INTO weixin_event (app_id, openid, create_time, event, event_key) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING""", appId, openId, createTime, event, eventKey) == 1;
    }

    /** The receipt of the first delivery of a channel item, if it was stored (a client's retry check). */
    public Optional<java.util.UUID> storedReceipt(String channel, String channelItemId) {
        return jdbc.query("SELECT receipt_id FROM inbox WHERE channel = ? AND channel_item_id = ? ORDER BY id LIMIT 1",
                rs -> rs.next() ? Optional.of(rs.getObject(1, java.util.UUID.class)) : Optional.<java.util.UUID>empty(),
                channel, channelItemId);
    }

    private void purgeNowAndThen() {
        long now = System.currentTimeMillis();
        long last = lastPurge.get();
        if (now - last < PURGE_EVERY_MILLIS || !lastPurge.compareAndSet(last, now)) {
            return;
        }
        jdbc.update("DELETE FROM status_webhook_id WHERE expires_at < now()");
        jdbc.update("DELETE FROM weixin_push_nonce WHERE expires_at < now()");
    }
}
