package city.hotline.hub.channel.weixin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer that owns an HTTP path: it opens it through the runtime's {@code platform-http}
 * (Spring MVC in the hub), speaks WeChat's protocol there, and hands the route one exchange per
 * accepted item. The route runs inside the HTTP request, so whatever the route stores is committed
 * before the answer goes out. Same delegation as Camel's own webhook component.
 */
abstract class WeixinHttpConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(WeixinHttpConsumer.class);
    private Consumer http;

    WeixinHttpConsumer(WeixinEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public WeixinEndpoint getEndpoint() {
        return (WeixinEndpoint) super.getEndpoint();
    }

    abstract String defaultPath();

    abstract String methods();

    abstract void handle(Exchange exchange) throws Exception;

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String path = getEndpoint().httpPathOr(defaultPath());
        if (!getEndpoint().getComponent().isEnabled()) {
            LOG.info("WeChat channel disabled: {} stays closed", path);
            return;
        }
        // the delegate's URI is built from the configured path, like camel-webhook does
        Endpoint delegate = getEndpoint().getCamelContext().getEndpoint("platform-http:" + path + "?httpMethodRestrict=" + methods());
        http = delegate.createConsumer(this::handle);
        ServiceHelper.startService(http);
        LOG.info("WeChat {} open on {} {}", getEndpoint().getOperation().name().toLowerCase(), methods(), path);
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(http);
        http = null;
        super.doStop();
    }

    /** Runs the route with this exchange; true when the route finished without an error answer. */
    boolean runRoute(Exchange exchange) throws Exception {
        getProcessor().process(exchange);
        if (exchange.getException() != null) {
            return false;
        }
        Integer code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return code == null || code < 400;
    }

    /**
     * The URL parameters exactly as sent. Hand-written on purpose: Camel's URISupport.parseQuery
     * follows endpoint-URI rules (it turns '+' into a space but leaves %2B encoded), and the
     * binding's headers mix URL parameters with HTTP headers.
     */
    static Map<String, String> query(Message msg) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = msg.getHeader(Exchange.HTTP_QUERY, String.class);
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(key, value);
        }
        return out;
    }

    static void answer(Exchange exchange, int status, String contentType, String body) {
        Message msg = exchange.getMessage();
        msg.removeHeaders("*");
        msg.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        if (contentType != null) {
            msg.setHeader(Exchange.CONTENT_TYPE, contentType);
        }
        msg.setBody(body == null ? "" : body);
    }
}
