package city.hotline.hub.channel.cti;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code hub.sms.*}: the SMS gateway that tells callers of their ticket (docs/cti.md, "SMS gateway").
 * The access secret is a secret: never logged, not in {@link #toString()}.
 *
 * @param apiBaseUrl     the gateway's endpoint (Aliyun: https://dysmsapi.aliyuncs.com/)
 * @param templateId     the approved template (Aliyun TemplateCode)
 * @param signName       the approved signature (Aliyun SignName, e.g. 12345热线)
 * @param paramMaxChars  longest template variable the gateway takes (Aliyun: 35 characters)
 */
@ConfigurationProperties("hub.sms")
public record SmsProperties(String apiBaseUrl, String templateId, String signName, String accessKey, String accessSecret,
                            String regionId, int paramMaxChars) {

    public SmsProperties {
        regionId = regionId == null || regionId.isBlank() ? "cn-hangzhou" : regionId;
        paramMaxChars = paramMaxChars <= 0 ? 35 : paramMaxChars;
    }

    @Override
    public String toString() {
        return "SmsProperties[apiBaseUrl=" + apiBaseUrl + ", templateId=" + templateId + ", accessKey=" + accessKey + ", accessSecret=***]";
    }
}
