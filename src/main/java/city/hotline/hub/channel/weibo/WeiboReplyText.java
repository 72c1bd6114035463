package city.hotline.hub.channel.weibo;

import java.util.Map;

/**
 * The comment the hub posts: the case system's reply, or a short status notice when there is no
 * reply text. Weibo takes at most 140 characters (counted here by code point, so an emoji is one);
 * a longer reply is cut and ends with a link to the full answer.
 */
public final class WeiboReplyText {

    public static final int LIMIT = 140;
    private static final String ELLIPSIS = "…";
    private static final Map<String, String> NOTICE = Map.of(
            "ACCEPTED", "已受理", "ASSIGNED", "已转交承办单位", "IN_PROGRESS", "正在办理", "REPLIED", "已答复",
            "CLOSED", "已办结", "EVALUATED", "已评价", "RETURNED", "已退回", "EXTENDED", "办理期限已延长", "REOPENED", "已重新办理");

    private WeiboReplyText() {
    }

    public static String compose(String status, String reply, String ticketId, String fullReplyUrl) {
        String text = reply != null && !reply.isBlank() ? reply.strip()
                : "您反映的问题" + NOTICE.getOrDefault(status, "状态已更新") + "，工单号" + ticketId + "。";
        if (text.codePointCount(0, text.length()) <= LIMIT) {
            return text;
        }
        String link = " " + (fullReplyUrl == null ? "" : fullReplyUrl) + ticketId;
        int room = LIMIT - ELLIPSIS.length() - link.codePointCount(0, link.length());
        if (room < 1) {
            return text.substring(0, text.offsetByCodePoints(0, LIMIT - 1)) + ELLIPSIS;
        }
        return text.substring(0, text.offsetByCodePoints(0, room)).stripTrailing() + ELLIPSIS + link;
    }
}
