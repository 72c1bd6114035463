package city.hotline.hub.channel.weixin;

import java.util.Map;

import city.hotline.hub.store.ReplayGuardStore;
import city.hotline.hub.ticket.Hashing;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code weixin:callback}: GET is URL verification (answered here, the route is not involved);
 * POST is a message, handed to the route and answered {@code success} once the route returned
 * without error. A bad signature gets 403 and an empty body; an authenticated push we cannot read
 * (malformed, XXE, undecryptable) goes to the route with header {@code CamelWeixinRejected} and
 * the raw request, and WeChat gets 400.
 * <p>
 * Freshness (issue 8): a request whose {@code timestamp} is more than 5 minutes off gets 403, GET
 * included; a signed POST whose {@code nonce} was seen before (kept in PostgreSQL, shared by every
 * instance) is answered as the first one was when the body is the same (WeChat's retry), and gets
 * 403 with any other body.
 */
class WeixinPushConsumer extends WeixinHttpConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(WeixinPushConsumer.class);

    WeixinPushConsumer(WeixinEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    String defaultPath() {
        return "/channels/weixin/callback";
    }

    @Override
    String methods() {
        return "GET,POST";
    }

    @Override
    void handle(Exchange exchange) throws Exception {
        Message msg = exchange.getMessage();
        Map<String, String> query = query(msg);
        WeixinPushReader reader = getEndpoint().pushReader();
        WeixinComponent component = getEndpoint().getComponent();
        boolean get = "GET".equals(msg.getHeader(Exchange.HTTP_METHOD, String.class));
        try {
            WeixinPushReader.checkFresh(query, component.getClock().instant(), component.getPushTolerance());
        } catch (WeixinPushReader.Rejected r) {
            LOG.warn("WeChat {} refused: {}", get ? "URL verification" : "push", r.getMessage());
            answer(exchange, 403, null, "");
            return;
        }
        if (get) {
            try {
                answer(exchange, 200, "text/plain; charset=UTF-8", reader.verify(query));
                LOG.info("WeChat URL verification answered");
            } catch (WeixinPushReader.Rejected r) {
                LOG.warn("WeChat URL verification refused: {}", r.getMessage());
                answer(exchange, 403, null, "");
            }
            return;
        }
        String body = msg.getBody(String.class);
        WeixinMessage message = null;
        WeixinPushReader.Rejected rejected = null;
        try {
            message = reader.read(query, body);
        } catch (WeixinPushReader.Rejected r) {
            if (!r.authenticated()) {
                LOG.warn("WeChat push refused with {}: {}", r.status(), r.getMessage());
                answer(exchange, r.status(), null, "");
                return;
            }
            rejected = r;
        }
        // Signed by WeChat from here. A nonce seen before is WeChat's own retry only with the same
        // body: it gets the first answer again; with another body it is a reused query string.
        String nonce = query.get("nonce");
        if (nonce == null || nonce.isBlank()) {
            LOG.warn("WeChat push refused with 403: no nonce");
            answer(exchange, 403, null, "");
            return;
        }
        String appId = getEndpoint().getAppId();
        ReplayGuardStore guard = component.replayGuard();
        ReplayGuardStore.Nonce seen = guard.pushNonce(appId, nonce, Hashing.sha256Hex(body == null ? "" : body),
                component.getPushTolerance().multipliedBy(2));
        if (seen instanceof ReplayGuardStore.ReusedNonce) {
            LOG.warn("WeChat push refused with 403: nonce {} was used before with another body", nonce);
            answer(exchange, 403, null, "");
            return;
        }
        if (seen instanceof ReplayGuardStore.RetriedNonce retry && retry.status() != null) {
            LOG.info("WeChat retry of the push with nonce {}: answered as the first one was ({})", nonce, retry.status());
            answer(exchange, retry.status(), "text/plain; charset=UTF-8", retry.answer());
            return;
        }
        if (rejected != null) {
            rejected(exchange, query, body, rejected);
        } else {
            accepted(exchange, message);
        }
        // the route may have put a new message on the exchange: read the answer from the exchange
        Message answered = exchange.getMessage();
        Integer code = answered.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (exchange.getException() == null && code != null && code < 500) {
            guard.pushAnswered(appId, nonce, code, answered.getBody(String.class));
        }
    }

    private void accepted(Exchange exchange, WeixinMessage message) throws Exception {
        Message msg = exchange.getMessage();
        msg.removeHeaders("*");
        msg.setHeader(WeixinConstants.APP_ID, getEndpoint().getAppId());
        msg.setHeader(WeixinConstants.ITEM_ID, message.itemId(getEndpoint().getAppId()));
        msg.setHeader(WeixinConstants.OPEN_ID, message.openId());
        msg.setHeader(WeixinConstants.MSG_TYPE, message.msgType());
        msg.setHeader(WeixinConstants.EVENT, message.event());
        msg.setHeader(WeixinConstants.CREATE_TIME, message.createTime());
        msg.setHeader(WeixinConstants.ENCRYPTED, message.encrypted());
        msg.setBody(Json.write(message.fields()));
        if (runRoute(exchange)) {
            // WeChat stops retrying on "success" (or an empty answer); the route has stored the message
            answer(exchange, 200, "text/plain; charset=UTF-8", "success");
        }
    }

    private void rejected(Exchange exchange, Map<String, String> query, String body, WeixinPushReader.Rejected r) throws Exception {
        LOG.warn("WeChat push refused with {}: {}", r.status(), r.getMessage());
        if (!r.authenticated()) {
            answer(exchange, r.status(), null, "");
            return;
        }
        Message msg = exchange.getMessage();
        msg.removeHeaders("*");
        msg.setHeader(WeixinConstants.APP_ID, getEndpoint().getAppId());
        msg.setHeader(WeixinConstants.REJECTED, r.getMessage());
        msg.setBody(Json.write(rawRequest(query, body)));
        if (runRoute(exchange)) {
            answer(exchange, r.status(), "text/plain; charset=UTF-8", r.getMessage());
        }
    }

    /** What a replay needs to read the push again: the URL parameters and the body as received. */
    static ObjectNode rawRequest(Map<String, String> query, String body) {
        ObjectNode raw = Json.object();
        ObjectNode q = raw.putObject("query");
        query.forEach(q::put);
        raw.put("body", body == null ? "" : body);
        return raw;
    }
}
