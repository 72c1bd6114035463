package city.hotline.hub.channel.weixin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The app's access token: fetched through {@code POST /cgi-bin/stable_token}, cached until shortly
 * before it expires, and refreshed by one thread at a time (single flight): threads whose call was
 * refused with the same stale token wait for that one refresh and then use its result.
 * <p>
 * Normal mode ({@code force_refresh=false}) is used first: it returns the currently valid token
 * without invalidating the one other hub instances hold. Only when WeChat hands back the very token
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
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Token cached;
    private volatile int refreshes;

    public WeixinTokens(Fetcher fetcher, Clock clock, Duration margin) {
        this.fetcher = fetcher;
        this.clock = clock;
        this.margin = margin;
    }

    public String current() {
        Token t = cached;
        if (fresh(t)) {
            return t.value();
        }
        lock.lock();
        try {
            t = cached;
            if (!fresh(t)) {
                t = fetcher.fetch(false);
                cached = t;
            }
            return t.value();
        } finally {
            lock.unlock();
        }
    }

    /**
     * WeChat refused {@code rejected} (40001, 40014, 42001). Returns a token to replay with: the one
     * another thread already fetched, or a new one.
     */
    public String refreshAfterRejection(String rejected) {
        lock.lock();
        try {
            Token t = cached;
            if (t != null && !t.value().equals(rejected) && fresh(t)) {
                return t.value();
            }
            refreshes++;
            t = fetcher.fetch(false);
            if (t.value().equals(rejected)) {
                t = fetcher.fetch(true);
            }
            cached = t;
            return t.value();
        } finally {
            lock.unlock();
        }
    }

    private boolean fresh(Token t) {
        return t != null && clock.instant().plus(margin).isBefore(t.expiresAt());
    }

    public Instant expiresAt() {
        Token t = cached;
        return t == null ? null : t.expiresAt();
    }

    /** Refreshes after a rejection since start (the first fetch is not one). */
    public int refreshes() {
        return refreshes;
    }

    /** Drops the cached token; the next call fetches one. */
    public void forget() {
        cached = null;
    }
}
