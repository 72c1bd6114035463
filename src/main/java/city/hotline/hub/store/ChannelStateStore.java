package city.hotline.hub.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Channel state that every hub instance must see the same: access tokens ({@code channel_token})
 * and holds / pauses ({@code channel_hold}). Several instances share one database, so nothing of
 * this may live in one JVM's memory.
 * <p>
 * A token refresh runs under a transaction-scoped advisory lock on (channel, account): the second
 * instance waits, then reads the token the first one stored instead of asking the channel again.
 * Hold changes commit in a transaction of their own, so a hold recorded while a token refresh fails
 * survives that refresh's rollback.
 */
@Repository
public class ChannelStateStore {

    /** An access token; the value is a secret, never logged, never in toString. */
    public record Token(String value, Instant expiresAt) {
        @Override
        public String toString() {
            return "Token[expiresAt=" + expiresAt + "]";
        }
    }

    public enum HoldKind { QUOTA, CREDENTIALS, REAUTHORISE }

    /** @param until null: until cleared */
    public record Hold(HoldKind kind, Integer code, String reason, Instant since, Instant until) {

        public boolean activeAt(Instant now) {
            return until == null || now.isBefore(until);
        }
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTx;

    public ChannelStateStore(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.ownTx = new TransactionTemplate(transactions);
        this.ownTx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    // ---- tokens ----

    public Optional<Token> token(String channel, String account) {
        return jdbc.query("SELECT token, expires_at FROM channel_token WHERE channel = ? AND account = ?",
                (rs, i) -> new Token(rs.getString("token"), instant(rs, "expires_at")), channel, account).stream().findFirst();
    }

    /**
     * Single flight across instances: under the account's advisory lock, hands the stored token
     * (empty if none) to {@code refresh} and stores what it returns when that differs. The lock is
     * held while {@code refresh} calls the channel, so keep one caller per JVM (the caller's own lock)
     * to spare pooled connections.
     */
    public Token refreshLocked(String channel, String account, UnaryOperator<Optional<Token>> refresh) {
        return ownTx.execute(status -> {
            jdbc.query("SELECT pg_advisory_xact_lock(hashtext('channel_token'), hashtext(? || '/' || ?))",
                    rs -> null, channel, account);
            Optional<Token> current = token(channel, account);
            Token next = refresh.apply(current).orElseThrow(() -> new IllegalStateException("no token for " + channel));
            if (current.isEmpty() || !current.get().equals(next)) {
                storeToken(channel, account, next);
            }
            return next;
        });
    }

    private void storeToken(String channel, String account, Token t) {
        jdbc.update("""
                INSERT INTO channel_token (channel, account, token, expires_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (channel, account) DO UPDATE
                SET token = excluded.token, expires_at = excluded.expires_at, updated_at = now()""",
                channel, account, t.value(), ts(t.expiresAt()));
    }

    public void forgetToken(String channel, String account) {
        jdbc.update("DELETE FROM channel_token WHERE channel = ? AND account = ?", channel, account);
    }

    /**
     * A token that comes from configuration (Weibo): the stored one stays unless the configured one
     * changed since the row was written (a restart with a new token), in which case the configured
     * token replaces it and the re-authorisation hold is lifted. Only a hash of the configured token
     * is kept to tell.
     *
     * @return true when the configured token was (re)stored
     */
    public boolean seedConfiguredToken(String channel, String account, String configured, String configuredSha256) {
        return Boolean.TRUE.equals(ownTx.execute(status -> {
            jdbc.query("SELECT pg_advisory_xact_lock(hashtext('channel_token'), hashtext(? || '/' || ?))",
                    rs -> null, channel, account);
            String seen = jdbc.query("SELECT configured_sha256 FROM channel_token WHERE channel = ? AND account = ?",
                    rs -> rs.next() ? rs.getString(1) : "-none-", channel, account);
            if (configuredSha256.equals(seen)) {
                return false;
            }
            jdbc.update("""
                    INSERT INTO channel_token (channel, account, token, configured_sha256) VALUES (?, ?, ?, ?)
                    ON CONFLICT (channel, account) DO UPDATE
                    SET token = excluded.token, expires_at = NULL, configured_sha256 = excluded.configured_sha256, updated_at = now()""",
                    channel, account, configured, configuredSha256);
            if (!"-none-".equals(seen)) {
                clearHold(channel, account, HoldKind.REAUTHORISE);
            }
            return true;
        }));
    }

    /** A token handed over at run time (after a re-authorisation): stored, and the REAUTHORISE hold lifted, together. */
    public void replaceToken(String channel, String account, String token) {
        ownTx.executeWithoutResult(status -> {
            jdbc.update("""
                    INSERT INTO channel_token (channel, account, token) VALUES (?, ?, ?)
                    ON CONFLICT (channel, account) DO UPDATE SET token = excluded.token, expires_at = NULL, updated_at = now()""",
                    channel, account, token);
            clearHold(channel, account, HoldKind.REAUTHORISE);
        });
    }

    // ---- holds ----

    /**
     * Records a hold; an existing one that lasts longer (or until cleared) stays, so the first
     * reason of an open-ended hold is kept. Returns the hold in force afterwards.
     */
    public Hold hold(String channel, String account, HoldKind kind, Integer code, String reason, Instant since, Instant until) {
        return ownTx.execute(status -> {
            jdbc.update("""
                    INSERT INTO channel_hold AS h (channel, account, kind, code, reason, since, until)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (channel, account, kind) DO UPDATE
                    SET code = excluded.code, reason = excluded.reason, since = excluded.since, until = excluded.until
                    WHERE h.until IS NOT NULL AND (excluded.until IS NULL OR h.until < excluded.until)""",
                    channel, account, kind.name(), code, reason, ts(since), ts(until));
            return find(channel, account, kind).orElseThrow();
        });
    }

    /** Replaces the hold's reason whatever it was (a newer refusal of the credentials, say). */
    public void setHold(String channel, String account, HoldKind kind, Integer code, String reason, Instant since) {
        ownTx.executeWithoutResult(status -> jdbc.update("""
                INSERT INTO channel_hold (channel, account, kind, code, reason, since) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (channel, account, kind) DO UPDATE SET code = excluded.code, reason = excluded.reason""",
                channel, account, kind.name(), code, reason, ts(since)));
    }

    /** The hold in force at {@code now}, if any. */
    public Optional<Hold> active(String channel, String account, HoldKind kind, Instant now) {
        return find(channel, account, kind).filter(h -> h.activeAt(now));
    }

    public Optional<Hold> find(String channel, String account, HoldKind kind) {
        return jdbc.query("SELECT kind, code, reason, since, until FROM channel_hold WHERE channel = ? AND account = ? AND kind = ?",
                (rs, i) -> new Hold(HoldKind.valueOf(rs.getString("kind")), (Integer) rs.getObject("code"), rs.getString("reason"),
                        instant(rs, "since"), instant(rs, "until")), channel, account, kind.name()).stream().findFirst();
    }

    public void clearHold(String channel, String account, HoldKind kind) {
        jdbc.update("DELETE FROM channel_hold WHERE channel = ? AND account = ? AND kind = ?", channel, account, kind.name());
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
