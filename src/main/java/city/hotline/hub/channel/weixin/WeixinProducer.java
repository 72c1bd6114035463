package city.hotline.hub.channel.weixin;

import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code weixin:send}: the JSON body is a subscribe message ({@code touser, template_id, data, ...})
 * or a customer-service message ({@code touser, msgtype, text}), as header
 * {@code CamelWeixinMessageKind} says. Failures come out as exceptions the caller's error handler
 * understands: {@link WeixinApiException} (permanent, with the reason),
 * {@link city.hotline.hub.ticket.ChannelThrottled} (hold until a time) and
 * {@link city.hotline.hub.ticket.TransientFailure} (retry with backoff).
 */
public class WeixinProducer extends DefaultProducer {

    public WeixinProducer(WeixinEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public WeixinEndpoint getEndpoint() {
        return (WeixinEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) {
        Message msg = exchange.getMessage();
        String kind = msg.getHeader(WeixinConstants.MESSAGE_KIND, String.class);
        String path;
        if (WeixinConstants.KIND_SUBSCRIBE.equals(kind)) {
            path = "/cgi-bin/message/subscribe/send";
        } else if (WeixinConstants.KIND_CUSTOMER_SERVICE.equals(kind)) {
            path = "/cgi-bin/message/custom/send";
        } else {
            throw new IllegalArgumentException("header " + WeixinConstants.MESSAGE_KIND + " must be "
                    + WeixinConstants.KIND_SUBSCRIBE + " or " + WeixinConstants.KIND_CUSTOMER_SERVICE + ", got " + kind);
        }
        JsonNode body = Json.read(msg.getBody(String.class));
        JsonNode answer = getEndpoint().api().post(path, body);
        msg.setHeader(WeixinConstants.ERRCODE, 0);
        msg.setBody(Json.write(answer));
    }
}
