package city.hotline.hub.channel.weixin;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import city.hotline.hub.store.ChannelStateStore;
import city.hotline.hub.ticket.ChannelThrottled;
import city.hotline.hub.ticket.Json;
import city.hotline.hub.ticket.TransientFailure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls to one WeChat app's server API, with the errcode rules of channels.md §1.1 and the issue:
 * <ul>
 * <li>40001, 40014, 42001: the token is refreshed (single flight) and the call replayed once;</li>
 * <li>45011 / 45009: the app is held until the next minute / day ({@link WeixinThrottle}), no refresh;</li>
 * <li>-1 (system busy), HTTP errors and I/O: {@link TransientFailure}, retried by the caller with
 * exponential backoff (the reply outbox), so no thread sleeps here;</li>
 * <li>anything else non-zero: {@link WeixinApiException}, a permanent refusal with the reason.</li>
 * </ul>
 * The JDK HTTP client rather than a Camel endpoint: every call needs the token loop, the errcode
 * inside a 200 answer and the shared throttle, which would otherwise be spread over a route per call.
 */
public final class WeixinApi {

    private static final Logger LOG = LoggerFactory.getLogger(WeixinApi.class);
    static final Set<Integer> TOKEN_ERRORS = Set.of(40001, 40014, 42001);
    public static final int BUSY = -1;

    /** What jscode2session answers; the session_key is deliberately not kept. */
    public record Session(String openId, String unionId) {
    }

    private final String baseUrl;
    private final String appId;
    private final String appSecret;
    private final HttpClient http;
    private final Duration timeout;
    private final WeixinThrottle throttle;
    private final WeixinTokens tokens;
    private final MeterRegistry meters;
    private final ChannelStateStore state;
    private final Clock clock;

    /** @param state where the token, the quota hold and a credentials problem are kept, shared by every hub instance */
    public WeixinApi(String baseUrl, String appId, String appSecret, Clock clock, Duration tokenMargin, Duration timeout,
                     MeterRegistry meters, ChannelStateStore state) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.appId = appId;
        this.appSecret = appSecret;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.state = state;
        this.clock = clock;
        this.throttle = new WeixinThrottle(clock, state, appId);
        this.meters = meters;
        this.tokens = new WeixinTokens(force -> fetchToken(force, clock), clock, tokenMargin, state, appId);
    }

    public WeixinThrottle throttle() {
        return throttle;
    }

    public WeixinTokens tokens() {
        return tokens;
    }

    public String appId() {
        return appId;
    }

    /** Set while WeChat refuses our appid/secret (or our IP): an operator must fix the configuration. */
    public String credentialsProblem() {
        return state.find(WeixinThrottle.CHANNEL, appId, ChannelStateStore.HoldKind.CREDENTIALS)
                .map(ChannelStateStore.Hold::reason).orElse(null);
    }

    /** {@code POST {base}{path}?access_token=...} with a JSON body; returns WeChat's answer when errcode is 0. */
    public JsonNode post(String path, JsonNode body) {
        holdIfThrottled(path);
        String token = tokens.current();
        JsonNode answer = send(path, token, body);
        int errcode = errcode(answer);
        if (TOKEN_ERRORS.contains(errcode)) {
            count(path, "token-rejected");
            LOG.info("WeChat refused the access token on {} ({}); refreshing once and replaying", path, errcode);
            token = tokens.refreshAfterRejection(token);
            answer = send(path, token, body);
            errcode = errcode(answer);
            if (TOKEN_ERRORS.contains(errcode)) {
                count(path, "token-rejected");
                throw new TransientFailure("WeChat refused a freshly refreshed access token (" + errcode + "): " + errmsg(answer));
            }
        }
        check(path, errcode, answer);
        count(path, "ok");
        return answer;
    }

    /** Exchanges a mini-program {@code wx.login} code for the citizen's openid. */
    public Session jscode2session(String code) {
        URI uri = URI.create(baseUrl + "/sns/jscode2session?appid=" + enc(appId) + "&secret=" + enc(appSecret)
                + "&js_code=" + enc(code) + "&grant_type=authorization_code");
        JsonNode answer = exchange(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), "/sns/jscode2session");
        int errcode = errcode(answer);
        if (errcode != 0) {
            count("/sns/jscode2session", String.valueOf(errcode));
            if (errcode == BUSY) {
                throw new TransientFailure("WeChat busy (-1): " + errmsg(answer));
            }
            throw new WeixinApiException(errcode, errmsg(answer));
        }
        String openId = answer.path("openid").asText(null);
        if (openId == null || openId.isBlank()) {
            throw new TransientFailure("jscode2session answered without an openid");
        }
        count("/sns/jscode2session", "ok");
        return new Session(openId, answer.path("unionid").asText(null));
    }

    private void holdIfThrottled(String path) {
        throttle.active().ifPresent(h -> {
            count(path, "held");
            throw new ChannelThrottled("WeChat quota " + h.errcode() + " reached; calls held until " + h.until(), h.until());
        });
    }

    private void check(String path, int errcode, JsonNode answer) {
        if (errcode == 0) {
            return;
        }
        count(path, String.valueOf(errcode));
        if (WeixinThrottle.isQuota(errcode)) {
            WeixinThrottle.Hold h = throttle.hold(errcode, errmsg(answer));
            meters.counter("hub.weixin.throttles", "errcode", String.valueOf(errcode)).increment();
            LOG.warn("WeChat quota {} reached on {}: holding every call until {}", errcode, path, h.until());
            throw new ChannelThrottled("WeChat quota " + errcode + " (" + errmsg(answer) + "); held until " + h.until(), h.until());
        }
        if (errcode == BUSY) {
            throw new TransientFailure("WeChat busy (-1): " + errmsg(answer));
        }
        throw new WeixinApiException(errcode, errmsg(answer));
    }

    private WeixinTokens.Token fetchToken(boolean force, Clock clock) {
        String path = "/cgi-bin/stable_token";
        holdIfThrottled(path);
        ObjectNode body = Json.object();
        body.put("grant_type", "client_credential");
        body.put("appid", appId);
        body.put("secret", appSecret);
        body.put("force_refresh", force);
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8)).build();
        JsonNode answer = exchange(request, path);
        int errcode = errcode(answer);
        if (errcode != 0) {
            if (!WeixinThrottle.isQuota(errcode) && errcode != BUSY) {
                String problem = "stable_token refused (" + errcode + "): " + errmsg(answer)
                        + "; check hub.channels.weixin.app-id / app-secret and the IP whitelist";
                state.setHold(WeixinThrottle.CHANNEL, appId, ChannelStateStore.HoldKind.CREDENTIALS, errcode, problem, clock.instant());
                count(path, String.valueOf(errcode));
                throw new TransientFailure(problem);
            }
            check(path, errcode, answer);
        }
        String value = answer.path("access_token").asText(null);
        if (value == null || value.isBlank()) {
            throw new TransientFailure("stable_token answered without an access_token");
        }
        state.clearHold(WeixinThrottle.CHANNEL, appId, ChannelStateStore.HoldKind.CREDENTIALS);
        count(path, "ok");
        meters.counter("hub.weixin.token.fetches", "force", String.valueOf(force)).increment();
        long expiresIn = answer.path("expires_in").asLong(300);
        return new WeixinTokens.Token(value, clock.instant().plusSeconds(expiresIn));
    }

    private JsonNode send(String path, String token, JsonNode body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path + "?access_token=" + enc(token))).timeout(timeout)
                .header("Content-Type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8)).build();
        return exchange(request, path);
    }

    private JsonNode exchange(HttpRequest request, String path) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            count(path, "io-error");
            throw new TransientFailure("WeChat " + path + " unreachable: " + e.getClass().getSimpleName() + " " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("interrupted while calling WeChat " + path);
        }
        if (response.statusCode() != 200) {
            count(path, "http-" + response.statusCode());
            throw new TransientFailure("WeChat " + path + " answered HTTP " + response.statusCode());
        }
        try {
            return Json.read(response.body());
        } catch (IllegalArgumentException e) {
            count(path, "unreadable");
            throw new TransientFailure("WeChat " + path + " answered something that is not JSON");
        }
    }

    static int errcode(JsonNode answer) {
        return answer.path("errcode").asInt(0);
    }

    private static String errmsg(JsonNode answer) {
        return answer.path("errmsg").asText("");
    }

    private void count(String path, String outcome) {
        meters.counter("hub.weixin.api.calls", "api", path, "outcome", outcome).increment();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "WeixinApi[" + baseUrl + ", appId=" + appId + "]";
    }

    /** For health: when the cached token expires, if any. */
    public Instant tokenExpiresAt() {
        return tokens.expiresAt();
    }
}
