package city.hotline.hub.channel.weixin;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hub.channels.weixin.*}. Secrets (app secret, token, EncodingAESKey) come from the
 * environment and never appear in {@link #toString()}.
 *
 * @param replyTemplateId  subscribe-message template for status notices outside the customer-service
 *                         window; blank: no subscribe messages
 * @param replyPage        mini-program page the notice opens (may carry a query), blank for none
 * @param miniprogramState formal, trial or developer
 * @param subscribeStatuses the statuses a subscribe message is sent for: each one spends the citizen's
 *                         one-time consent (a tap on "allow" in the mini-program allows one message)
 */
@ConfigurationProperties("hub.channels.weixin")
public record WeixinProperties(
        @DefaultValue("false") boolean enabled,
        String appId,
        String appSecret,
        String token,
        String encodingAesKey,
        @DefaultValue("https://api.weixin.qq.com") String apiBaseUrl,
        String replyTemplateId,
        String replyPage,
        @DefaultValue("formal") String miniprogramState,
        @DefaultValue("48h") Duration customerServiceWindow,
        @DefaultValue("120s") Duration tokenRefreshMargin,
        @DefaultValue({"ACCEPTED", "REPLIED"}) java.util.List<String> subscribeStatuses) {

    public boolean subscribeConfigured() {
        return replyTemplateId != null && !replyTemplateId.isBlank();
    }

    @Override
    public String toString() {
        return "WeixinProperties[enabled=" + enabled + ", appId=" + appId + ", apiBaseUrl=" + apiBaseUrl
                + ", replyTemplateId=" + replyTemplateId + ", appSecret=***, token=***, encodingAesKey=***]";
    }
}
