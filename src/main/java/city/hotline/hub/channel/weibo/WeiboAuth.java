package city.hotline.hub.channel.weibo;

import java.time.Instant;

import city.hotline.hub.store.ChannelStateStore;
import city.hotline.hub.ticket.Hashing;
import org.springframework.stereotype.Component;

/**
 * The Weibo access token (from configuration, replaceable at run time after a re-authorisation)
 * and whether the channel is waiting for one. Normal apps get no refresh token: on 21327 /
 * 21314–21317 / 21301 a person must authorise again, so polling stops instead of looping.
 * <p>
 * Both live in the database ({@code channel_token}, {@code channel_hold}), so every hub instance
 * polls and replies with the same token and stops together. The configured token seeds the row; a
 * restart with a different configured token replaces the stored one (and lifts the hold), while a
 * restart with the same one keeps a token handed over at run time.
 */
@Component
public class WeiboAuth implements city.hotline.hub.channel.generic.TokenSource, city.hotline.hub.channel.generic.PollHold {

    static final String CHANNEL = "weibo";
    static final String ACCOUNT = "default";

    public record Reauthorisation(String reason, Instant since) {
    }

    private final ChannelStateStore store;
    private final String configured;

    public WeiboAuth(WeiboProperties props, ChannelStateStore store) {
        this.store = store;
        this.configured = props.accessToken() == null ? "" : props.accessToken().strip();
        store.seedConfiguredToken(CHANNEL, ACCOUNT, configured, Hashing.sha256Hex(configured));
    }

    @Override
    public String token() {
        return store.token(CHANNEL, ACCOUNT).map(ChannelStateStore.Token::value).orElse(configured);
    }

    /** Stops polling on every instance; the first reason is kept until a new token arrives. */
    @Override
    public void reauthorisationNeeded(String reason) {
        store.hold(CHANNEL, ACCOUNT, ChannelStateStore.HoldKind.REAUTHORISE, null,
                reason == null ? "re-authorisation needed" : reason, Instant.now(), null);
    }

    @Override
    public boolean held() {
        return reauthorisation() != null;
    }

    public Reauthorisation reauthorisation() {
        return store.find(CHANNEL, ACCOUNT, ChannelStateStore.HoldKind.REAUTHORISE)
                .map(h -> new Reauthorisation(h.reason(), h.since())).orElse(null);
    }

    /** A new token from the operator: polling and replies go on with it, on every instance. */
    public void reauthorised(String newToken) {
        if (newToken == null || newToken.isBlank()) {
            throw new IllegalArgumentException("accessToken is required");
        }
        store.replaceToken(CHANNEL, ACCOUNT, newToken.strip());
    }

    @Override
    public String toString() {
        return "WeiboAuth[token=***]";
    }
}
