package city.hotline.hub.channel.board;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

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
 * The case system's status and reply, posted to {@code hub.channels.board.reply-url} as a form or
 * as JSON ({@code reply-format}): {@code tid, fid, state (办理中 | 已办理), content, ticketId, status}.
 * A 2xx whose JSON says {@code result} other than "success" is a refusal to retry.
 */
@Component("boardReply")
public class BoardReply {

    private static final Set<String> HANDLED = Set.of("REPLIED", "CLOSED", "EVALUATED");

    private final BoardProperties props;
    private final ReplyOutcome outcome;
    private final PublicReplyText publicText;

    public BoardReply(BoardProperties props, ReplyOutcome outcome, PublicReplyText publicText) {
        this.props = props;
        this.outcome = outcome;
        this.publicText = publicText;
    }

    public void build(Exchange exchange) {
        String target = exchange.getProperty("hubReplyTarget", String.class);
        JsonNode t = target == null ? null : Json.read(target);
        if (t == null || !t.hasNonNull("tid")) {
            throw new PermanentFailure("the origin has no board thread id (tid) to reply to");
        }
        String status = exchange.getProperty("hubReplyStatus", String.class);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("tid", t.get("tid").asText());
        fields.put("fid", t.hasNonNull("fid") ? t.get("fid").asText() : null);
        fields.put("state", HANDLED.contains(status) ? "已办理" : "办理中");
        // the board publishes the reply: numbers and the citizen's name are masked
        fields.put("content", publicText.mask(exchange.getProperty("hubReplyText", String.class), exchange.getProperty("hubTicketId", String.class)));
        fields.put("ticketId", exchange.getProperty("hubTicketId", String.class));
        fields.put("status", status);
        fields.values().removeIf(java.util.Objects::isNull);
        Message msg = exchange.getMessage();
        if ("json".equalsIgnoreCase(props.replyFormat())) {
            msg.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=UTF-8");
            msg.setBody(Json.write(fields));
        } else {
            msg.setHeader(Exchange.CONTENT_TYPE, "application/x-www-form-urlencoded; charset=UTF-8");
            msg.setBody(Forms.encode(fields));
        }
        msg.setHeader(Exchange.HTTP_METHOD, "POST");
    }

    public void onResponse(Exchange exchange) {
        int code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (code >= 200 && code < 300) {
            String body = exchange.getMessage().getBody(String.class);
            JsonNode answer = readQuietly(body);
            if (answer != null && answer.has("result") && !"success".equals(answer.get("result").asText())) {
                throw new TransientFailure("board answered result=" + answer.get("result").asText() + ": "
                        + answer.path("resultDesc").asText(""));
            }
        }
        outcome.onHttpResponse(exchange);
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
