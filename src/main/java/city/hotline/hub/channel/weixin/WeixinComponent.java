package city.hotline.hub.channel.weixin;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import city.hotline.hub.store.ChannelStateStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code weixin:} component: WeChat official-account / mini-program pushes and form
 * submissions in (consumers), subscribe and customer-service messages out (producer).
 * Component-level options are the defaults of every endpoint, so credentials can be configured
 * once here (the hub does, from {@code hub.channels.weixin.*}) instead of in endpoint URIs.
 * The component owns one {@link WeixinApi} per app, so every endpoint of an app shares its token
 * (single-flight refresh) and its quota hold; both are kept in the database, so every hub instance
 * shares them too.
 */
@org.apache.camel.spi.annotations.Component("weixin")
public class WeixinComponent extends DefaultComponent {

    @Metadata(description = "AppID of the mini-program / official account")
    private String appId;
    @Metadata(label = "security", secret = true, description = "AppSecret")
    private String appSecret;
    @Metadata(label = "security", secret = true, description = "Token of the message-push configuration")
    private String token;
    @Metadata(label = "security", secret = true, description = "EncodingAESKey (43 characters) for safe mode")
    private String encodingAesKey;
    @Metadata(defaultValue = "https://api.weixin.qq.com", description = "Base URL of WeChat's server API")
    private String apiBaseUrl = "https://api.weixin.qq.com";
    @Metadata(defaultValue = "true", description = "When false, consumers do not open their HTTP paths")
    private boolean enabled = true;
    @Metadata(defaultValue = "120s", description = "A cached access token is refreshed when less than this is left")
    private Duration tokenRefreshMargin = Duration.ofSeconds(120);
    @Metadata(defaultValue = "15s", description = "Timeout of one call to WeChat")
    private Duration timeout = Duration.ofSeconds(15);

    private MeterRegistry meterRegistry = new SimpleMeterRegistry();
    private Clock clock = Clock.systemUTC();
    private ChannelStateStore stateStore;
    private city.hotline.hub.store.ReplayGuardStore replayGuard;
    @Metadata(defaultValue = "5m", description = "A push whose timestamp is further than this from now is refused (403)")
    private Duration pushTolerance = Duration.ofMinutes(5);
    private final Map<String, WeixinApi> apis = new ConcurrentHashMap<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        WeixinEndpoint endpoint = new WeixinEndpoint(uri, this, WeixinEndpoint.Operation.parse(remaining));
        endpoint.setAppId(appId);
        endpoint.setAppSecret(appSecret);
        endpoint.setToken(token);
        endpoint.setEncodingAesKey(encodingAesKey);
        endpoint.setApiBaseUrl(apiBaseUrl);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** The shared client of one app at one base URL. */
    public WeixinApi api(String appId, String appSecret, String baseUrl) {
        if (stateStore == null) {
            // tokens and quota holds are shared by every hub instance, so they live in the database only
            throw new IllegalStateException("the weixin component needs a ChannelStateStore (setStateStore)");
        }
        return apis.computeIfAbsent(appId + "|" + baseUrl,
                k -> new WeixinApi(baseUrl, appId, appSecret, clock, tokenRefreshMargin, timeout, meterRegistry, stateStore));
    }

    /** The client of the component's own app (what the health indicator shows). */
    public WeixinApi api() {
        return api(appId, appSecret, apiBaseUrl);
    }

    public String getAppId() {
        return appId;
    }

    public void setAppId(String appId) {
        this.appId = appId;
    }

    public String getAppSecret() {
        return appSecret;
    }

    public void setAppSecret(String appSecret) {
        this.appSecret = appSecret;
    }

    public String getToken() {
        return token;
    }

    public void setToken(String token) {
        this.token = token;
    }

    public String getEncodingAesKey() {
        return encodingAesKey;
    }

    public void setEncodingAesKey(String encodingAesKey) {
        this.encodingAesKey = encodingAesKey;
    }

    public String getApiBaseUrl() {
        return apiBaseUrl;
    }

    public void setApiBaseUrl(String apiBaseUrl) {
        this.apiBaseUrl = apiBaseUrl;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getTokenRefreshMargin() {
        return tokenRefreshMargin;
    }

    public void setTokenRefreshMargin(Duration tokenRefreshMargin) {
        this.tokenRefreshMargin = tokenRefreshMargin;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public void setMeterRegistry(MeterRegistry meterRegistry) {
        this.meterRegistry = meterRegistry;
    }

    public MeterRegistry getMeterRegistry() {
        return meterRegistry;
    }

    /** Where tokens and quota holds are kept (the database), shared by every hub instance. */
    public void setStateStore(ChannelStateStore stateStore) {
        this.stateStore = stateStore;
    }

    public void setClock(Clock clock) {
        this.clock = clock;
    }

    public Clock getClock() {
        return clock;
    }

    /** Where push nonces are kept (the database), so every hub instance recognises a replayed one. */
    public void setReplayGuard(city.hotline.hub.store.ReplayGuardStore replayGuard) {
        this.replayGuard = replayGuard;
    }

    city.hotline.hub.store.ReplayGuardStore replayGuard() {
        if (replayGuard == null) {
            throw new IllegalStateException("the weixin component needs a ReplayGuardStore (setReplayGuard)");
        }
        return replayGuard;
    }

    public Duration getPushTolerance() {
        return pushTolerance;
    }

    public void setPushTolerance(Duration pushTolerance) {
        this.pushTolerance = pushTolerance;
    }

    @Override
    public String toString() {
        return "WeixinComponent[appId=" + appId + ", apiBaseUrl=" + apiBaseUrl + "]";
    }
}
