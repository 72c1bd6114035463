package city.hotline.hub.channel.weixin;

import java.util.LinkedHashMap;
import java.util.Map;

import city.hotline.hub.ticket.Hashing;
import city.hotline.hub.ticket.Json;
import city.hotline.hub.ticket.TransientFailure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code weixin:submissions}: the mini-program posts {@code {code, title, content, phone, address,
 * images[]}}; the {@code wx.login} code is exchanged for the openid through
 * {@code GET /sns/jscode2session} before anything is stored. A refused code answers a 4xx that says
 * why (nothing is ticketed); otherwise the route gets {@code {source:"submission", openid, ...}}
 * and its answer (the receipt) goes back to the mini-program.
 */
class WeixinSubmissionConsumer extends WeixinHttpConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(WeixinSubmissionConsumer.class);
    private static final int MAX_IMAGES = 9;

    WeixinSubmissionConsumer(WeixinEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    String defaultPath() {
        return "/channels/weixin/submissions";
    }

    @Override
    String methods() {
        return "POST";
    }

    @Override
    void handle(Exchange exchange) throws Exception {
        String text = exchange.getMessage().getBody(String.class);
        ObjectNode form;
        try {
            form = Json.readObject(text == null ? "" : text);
        } catch (IllegalArgumentException e) {
            problem(exchange, 400, "expected a JSON object {code, title, content, phone, address, images[]}: " + e.getMessage(), null);
            return;
        }
        String code = textField(form, "code");
        String content = textField(form, "content");
        if (code == null || code.isBlank()) {
            problem(exchange, 400, "code is required: the wx.login code of this submission", null);
            return;
        }
        if (content == null || content.isBlank()) {
            problem(exchange, 400, "content is required", null);
            return;
        }
        JsonNode images = form.get("images");
        if (images != null && !images.isNull() && (!images.isArray() || images.size() > MAX_IMAGES
                || !allText(images))) {
            problem(exchange, 400, "images must be an array of at most " + MAX_IMAGES + " URLs", null);
            return;
        }
        WeixinApi.Session session;
        try {
            session = getEndpoint().api().jscode2session(code);
        } catch (WeixinApiException e) {
            refused(exchange, e);
            return;
        } catch (TransientFailure e) {
            LOG.warn("jscode2session failed: {}", e.getMessage());
            problem(exchange, 503, "WeChat login service unavailable; please retry", null);
            return;
        }
        ObjectNode payload = Json.object();
        payload.put("source", "submission");
        payload.put("openid", session.openId());
        if (session.unionId() != null) {
            payload.put("unionid", session.unionId());
        }
        for (String f : new String[] {"title", "content", "phone", "address"}) {
            String v = textField(form, f);
            if (v != null && !v.isBlank()) {
                payload.put(f, v);
            }
        }
        if (images != null && images.isArray() && !images.isEmpty()) {
            ArrayNode list = payload.putArray("images");
            images.forEach(i -> list.add(i.asText()));
        }
        Message msg = exchange.getMessage();
        msg.removeHeaders("*");
        msg.setHeader(WeixinConstants.APP_ID, getEndpoint().getAppId());
        // a code is single-use, so it names this submission (hashed: it is a login credential)
        msg.setHeader(WeixinConstants.ITEM_ID, getEndpoint().getAppId() + ":submission:" + Hashing.sha256Hex(code).substring(0, 32));
        msg.setHeader(WeixinConstants.OPEN_ID, session.openId());
        msg.setHeader(WeixinConstants.MSG_TYPE, "submission");
        msg.setBody(Json.write(payload));
        if (runRoute(exchange) && msg.getHeader(Exchange.HTTP_RESPONSE_CODE) == null) {
            msg.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        }
    }

    /** jscode2session's refusals as answers the mini-program can act on. */
    private void refused(Exchange exchange, WeixinApiException e) {
        int errcode = e.errcode();
        LOG.info("jscode2session refused a submission's code: {} {}", errcode, e.errmsg());
        switch (errcode) {
            case 40029 -> problem(exchange, 400, "invalid code (40029): call wx.login again and resubmit", errcode);
            case 40163 -> problem(exchange, 400, "code already used (40163): call wx.login again and resubmit", errcode);
            case 45011 -> problem(exchange, 429, "too many logins for this user (45011): retry after a minute", errcode);
            case 40226 -> problem(exchange, 403, "WeChat flags this user as high-risk (40226): submission refused", errcode);
            default -> problem(exchange, 502, "WeChat refused the login (" + errcode + "): " + e.errmsg(), errcode);
        }
    }

    private static void problem(Exchange exchange, int status, String message, Integer errcode) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", message);
        if (errcode != null) {
            body.put("errcode", errcode);
        }
        answer(exchange, status, "application/json", Json.write(body));
    }

    private static String textField(ObjectNode form, String name) {
        JsonNode n = form.get(name);
        return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
    }

    private static boolean allText(JsonNode images) {
        for (JsonNode i : images) {
            if (!i.isTextual() || i.asText().isBlank()) {
                return false;
            }
        }
        return true;
    }
}
