package city.hotline.hub.channel.weibo;

import java.util.LinkedHashMap;
import java.util.Map;

import city.hotline.hub.relay.PublicReplyText;
import city.hotline.hub.relay.ReplyOutcome;
import city.hotline.hub.ticket.Forms;
import city.hotline.hub.ticket.Json;
import city.hotline.hub.ticket.PermanentFailure;
import city.hotline.hub.ticket.TransientFailure;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * Replies on Weibo: to a comment with {@code /2/comments/reply.json} (cid + id), to a post with
 * {@code /2/comments/create.json} (id), always with {@code rip}. 20019 (same content already sent)
 * counts as delivered; 20101 / 20201 / 20202 (the post or comment is gone) is FAILED without retry;
 * rate limits and token errors are retried later (a token error also turns the health DOWN).
 */
@Component("weiboReply")
public class WeiboReply {

    private final WeiboProperties props;
    private final WeiboAuth auth;
    private final ReplyOutcome outcome;
    private final PublicReplyText publicText;

    public WeiboReply(WeiboProperties props, WeiboAuth auth, ReplyOutcome outcome, PublicReplyText publicText) {
        this.props = props;
        this.auth = auth;
        this.outcome = outcome;
        this.publicText = publicText;
    }

    public void build(Exchange exchange) {
        String target = exchange.getProperty("hubReplyTarget", String.class);
        JsonNode t = target == null ? null : Json.read(target);
        if (t == null || !t.hasNonNull("id")) {
            throw new PermanentFailure("the origin has no Weibo post id to reply to");
        }
        String ticketId = exchange.getProperty("hubTicketId", String.class);
        // a comment is public: numbers and the citizen's name are masked
        String text = WeiboReplyText.compose(exchange.getProperty("hubReplyStatus", String.class),
                publicText.mask(exchange.getProperty("hubReplyText", String.class), ticketId), ticketId,
                props.fullReplyUrl());
        Map<String, String> form = new LinkedHashMap<>();
        form.put("access_token", auth.token());
        form.put("comment", text);
        form.put("id", t.get("id").asText());
        if (t.hasNonNull("cid")) {
            form.put("cid", t.get("cid").asText());
        }
        form.put("comment_ori", "0");
        form.put("rip", props.rip());
        exchange.setProperty("hubWeiboPath", t.hasNonNull("cid") ? "/2/comments/reply.json" : "/2/comments/create.json");
        Message msg = exchange.getMessage();
        msg.setHeader(Exchange.HTTP_METHOD, "POST");
        msg.setHeader(Exchange.CONTENT_TYPE, "application/x-www-form-urlencoded; charset=UTF-8");
        msg.setBody(Forms.encode(form));
    }

    public void onResponse(Exchange exchange) {
        String body = exchange.getMessage().getBody(String.class);
        JsonNode answer = readQuietly(body);
        Integer code = WeiboErrors.code(answer);
        if (code == null) {
            outcome.onHttpResponse(exchange);
            return;
        }
        String why = WeiboErrors.describe(code, answer);
        switch (WeiboErrors.kind(code)) {
            case ALREADY_SENT -> outcome.sent(exchange);
            case TARGET_GONE -> throw new PermanentFailure(why + " (the post or comment no longer exists)");
            case REAUTHORISE -> {
                auth.reauthorisationNeeded(why);
                throw new TransientFailure("re-authorisation needed: " + why);
            }
            case RATE_LIMITED, TOO_FREQUENT -> throw new TransientFailure(why);
            default -> {
                int http = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
                if (http >= 500) {
                    throw new TransientFailure(why);
                }
                throw new PermanentFailure(why);
            }
        }
    }

    private static JsonNode readQuietly(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return Json.read(body);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
