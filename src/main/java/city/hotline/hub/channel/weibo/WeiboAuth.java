package city.hotline.hub.channel.weibo;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.stereotype.Component;

/**
 * The Weibo access token (from configuration, replaceable at run time after a re-authorisation)
 * and whether the channel is waiting for one. Normal apps get no refresh token: on 21327 /
 * 21314–21317 / 21301 a person must authorise again, so polling stops instead of looping.
 */
@Component
public class WeiboAuth {

    public record Reauthorisation(String reason, Instant since) {
    }

    private final AtomicReference<String> token;
    private final AtomicReference<Reauthorisation> needed = new AtomicReference<>();

    public WeiboAuth(WeiboProperties props) {
        this.token = new AtomicReference<>(props.accessToken() == null ? "" : props.accessToken());
    }

    public String token() {
        return token.get();
    }

    public void reauthorisationNeeded(String reason) {
        needed.compareAndSet(null, new Reauthorisation(reason, Instant.now()));
    }

    public Reauthorisation reauthorisation() {
        return needed.get();
    }

    /** A new token from the operator: polling and replies go on with it. */
    public void reauthorised(String newToken) {
        if (newToken == null || newToken.isBlank()) {
            throw new IllegalArgumentException("accessToken is required");
        }
        token.set(newToken.strip());
        needed.set(null);
    }

    @Override
    public String toString() {
        return "WeiboAuth[token=***, reauthorisationNeeded=" + (needed.get() != null) + "]";
    }
}
