package city.hotline.hub.channel.weixin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import city.hotline.hub.store.ChannelStateStore;

/**
 * The app's access token: fetched through {@code POST /cgi-bin/stable_token}, kept in the database
 * ({@code channel_token}) until shortly before it expires, and refreshed by one thread of one hub
 * instance at a time (single flight): threads and instances whose call was refused with the same
 * stale token wait for that one refresh and then use its result.
 * <p>
 * Why the database and not a field: several hub instances use one app, and WeChat invalidates an
 * old token five minutes after a forced refresh, so an instance must never keep using a token
 * another one replaced. Every call reads the stored token (a primary-key lookup); a refresh runs
 * under the store's advisory lock, re-reading the token once it holds the lock. The JVM-local lock
 * in front of it keeps waiting threads of this instance off the connection pool.
 * <p>
 * Normal mode ({@code force_refresh=false}) is used first: it returns the currently valid token
 * without invalidating the one other instances hold. Only when WeChat hands back the very token
 * it just refused is a forced refresh asked for (limited by WeChat to 20 a day).
 */
public final class WeixinTokens {

    /** A fetched token; never logged, never in toString. */
    public record Token(String value, Instant expiresAt) {
        @Override
        public String toString() {
            return "Token[expiresAt=" + expiresAt + "]";
        }
    }

    @FunctionalInterface
    public interface Fetcher {
        Token fetch(boolean forceRefresh);
    }

    private final Fetcher fetcher;
    private final Clock clock;
    private final Duration margin;
    private final ChannelStateStore store;
    private final String appId;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicInteger refreshes = new AtomicInteger();

    public WeixinTokens(Fetcher fetcher, Clock clock, Duration margin, ChannelStateStore store, String appId) {
        this.fetcher = fetcher;
        this.clock = clock;
        this.margin = margin;
        this.store = store;
        this.appId = appId;
    }

    public String current() {
        Optional<ChannelStateStore.Token> t = stored();
        if (t.isPresent() && fresh(t.get())) {
            return t.get().value();
        }
        lock.lock();
        try {
            return store.refreshLocked(WeixinThrottle.CHANNEL, appId,
                    cur -> cur.filter(this::fresh).or(() -> Optional.of(fetch(false)))).value();
        } finally {
            lock.unlock();
        }
    }

    /**
     * WeChat refused {@code rejected} (40001, 40014, 42001). Returns a token to replay with: the one
     * another thread or instance already fetched, or a new one.
     */
    public String refreshAfterRejection(String rejected) {
        lock.lock();
        try {
            return store.refreshLocked(WeixinThrottle.CHANNEL, appId, cur -> {
                if (cur.isPresent() && !cur.get().value().equals(rejected) && fresh(cur.get())) {
                    return cur;
                }
                refreshes.incrementAndGet();
                ChannelStateStore.Token t = fetch(false);
                if (t.value().equals(rejected)) {
                    t = fetch(true);
                }
                return Optional.of(t);
            }).value();
        } finally {
            lock.unlock();
        }
    }

    private ChannelStateStore.Token fetch(boolean force) {
        Token t = fetcher.fetch(force);
        return new ChannelStateStore.Token(t.value(), t.expiresAt());
    }

    private Optional<ChannelStateStore.Token> stored() {
        return store.token(WeixinThrottle.CHANNEL, appId);
    }

    private boolean fresh(ChannelStateStore.Token t) {
        return t.expiresAt() != null && clock.instant().plus(margin).isBefore(t.expiresAt());
    }

    public Instant expiresAt() {
        return stored().map(ChannelStateStore.Token::expiresAt).orElse(null);
    }

    /** Refreshes after a rejection this instance made since start (the first fetch is not one). */
    public int refreshes() {
        return refreshes.get();
    }

    /** Drops the stored token (for every instance); the next call fetches one. */
    public void forget() {
        store.forgetToken(WeixinThrottle.CHANNEL, appId);
    }
}
