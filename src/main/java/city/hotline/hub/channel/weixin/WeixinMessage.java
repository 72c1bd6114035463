package city.hotline.hub.channel.weixin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One message pushed by WeChat, after signature check and decryption, as a JSON object whose
 * scalar values are all text: XML gives text anyway, and a JSON-mode {@code MsgId} (a 64-bit
 * number) is kept as its exact digits, never as a double.
 */
public record WeixinMessage(ObjectNode fields, boolean encrypted) {

    public String text(String field) {
        JsonNode n = fields.get(field);
        return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
    }

    public String msgType() {
        return text("MsgType");
    }

    public String openId() {
        return text("FromUserName");
    }

    public String event() {
        return text("Event");
    }

    public boolean isEvent() {
        return "event".equals(msgType());
    }

    /** Epoch seconds, or null when absent or not a number. */
    public Long createTime() {
        String t = text("CreateTime");
        try {
            return t == null ? null : Long.valueOf(t.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The key WeChat's three retries share: {@code appid:MsgId}; events have no MsgId and use
     * {@code appid:event:FromUserName:CreateTime:Event[:EventKey]} (WxJava's rule, channels.md §1.3).
     */
    public String itemId(String appId) {
        String msgId = text("MsgId");
        if (msgId != null && !msgId.isBlank()) {
            return appId + ":" + msgId.trim();
        }
        StringBuilder key = new StringBuilder(appId).append(":event:").append(openId()).append(':')
                .append(text("CreateTime")).append(':').append(event());
        if (text("EventKey") != null && !text("EventKey").isBlank()) {
            key.append(':').append(text("EventKey"));
        }
        return key.toString();
    }
}
