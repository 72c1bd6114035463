package city.hotline.hub.channel.weixin;

import java.util.Locale;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code weixin:operation[?options]}:
 * <ul>
 * <li>{@code weixin:callback} (consumer) answers WeChat's message push at {@code httpPath}: URL
 * verification, plaintext / safe / compatible mode, XML or JSON. Each message is one exchange
 * (body: the message as JSON, every value text); WeChat gets {@code success} only after the route
 * has processed it.</li>
 * <li>{@code weixin:submissions} (consumer) takes mini-program form posts at {@code httpPath},
 * exchanges the {@code wx.login} code for the openid and emits the submission.</li>
 * <li>{@code weixin:send} (producer) sends the JSON body as a subscribe or customer-service message
 * (header {@code CamelWeixinMessageKind}).</li>
 * </ul>
 */
@UriEndpoint(firstVersion = "4.17.0", scheme = "weixin", title = "WeChat", syntax = "weixin:operation",
        category = {Category.SOCIAL, Category.CHAT}, headersClass = WeixinConstants.class)
public class WeixinEndpoint extends DefaultEndpoint {

    public enum Operation {
        CALLBACK, SUBMISSIONS, SEND;

        static Operation parse(String remaining) {
            try {
                return valueOf(remaining.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("weixin:" + remaining + " is not one of weixin:callback, weixin:submissions, weixin:send");
            }
        }
    }

    @UriPath(enums = "callback,submissions,send", description = "callback and submissions consume, send produces")
    @Metadata(required = true)
    private final Operation operation;
    @UriParam(description = "AppID; defaults to the component's")
    private String appId;
    @UriParam(label = "security", secret = true, description = "AppSecret; defaults to the component's")
    private String appSecret;
    @UriParam(label = "security", secret = true, description = "Message-push Token; defaults to the component's")
    private String token;
    @UriParam(label = "security", secret = true, description = "EncodingAESKey for safe mode; defaults to the component's")
    private String encodingAesKey;
    @UriParam(defaultValue = "https://api.weixin.qq.com", description = "Base URL of WeChat's server API")
    private String apiBaseUrl;
    @UriParam(label = "consumer", description = "HTTP path the consumer listens on (through platform-http)")
    private String httpPath;

    public WeixinEndpoint(String uri, WeixinComponent component, Operation operation) {
        super(uri, component);
        this.operation = operation;
    }

    @Override
    public WeixinComponent getComponent() {
        return (WeixinComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        if (operation != Operation.SEND) {
            throw new IllegalArgumentException("weixin:" + operation.name().toLowerCase(Locale.ROOT) + " is a consumer; send with weixin:send");
        }
        return new WeixinProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        Consumer consumer = switch (operation) {
            case CALLBACK -> new WeixinPushConsumer(this, processor);
            case SUBMISSIONS -> new WeixinSubmissionConsumer(this, processor);
            case SEND -> throw new IllegalArgumentException("weixin:send is a producer; consume with weixin:callback or weixin:submissions");
        };
        configureConsumer(consumer);
        return consumer;
    }

    WeixinApi api() {
        return getComponent().api(appId, appSecret, apiBaseUrl);
    }

    /** Built once the endpoint is configured: a malformed EncodingAESKey fails the start, not each push. */
    private WeixinPushReader pushReader;

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        pushReader = new WeixinPushReader(new WeixinCrypto(token, encodingAesKey, appId));
    }

    WeixinPushReader pushReader() {
        return pushReader;
    }

    String httpPathOr(String fallback) {
        return httpPath == null || httpPath.isBlank() ? fallback : httpPath;
    }

    public Operation getOperation() {
        return operation;
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
        if (appSecret != null && !appSecret.isBlank()) {
            this.appSecret = appSecret;
        }
    }

    public String getToken() {
        return token;
    }

    public void setToken(String token) {
        if (token != null && !token.isBlank()) {
            this.token = token;
        }
    }

    public String getEncodingAesKey() {
        return encodingAesKey;
    }

    public void setEncodingAesKey(String encodingAesKey) {
        if (encodingAesKey != null && !encodingAesKey.isBlank()) {
            this.encodingAesKey = encodingAesKey;
        }
    }

    public String getApiBaseUrl() {
        return apiBaseUrl;
    }

    public void setApiBaseUrl(String apiBaseUrl) {
        if (apiBaseUrl != null && !apiBaseUrl.isBlank()) {
            this.apiBaseUrl = apiBaseUrl;
        }
    }

    public String getHttpPath() {
        return httpPath;
    }

    public void setHttpPath(String httpPath) {
        this.httpPath = httpPath;
    }
}
