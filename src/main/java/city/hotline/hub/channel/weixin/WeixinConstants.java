package city.hotline.hub.channel.weixin;

import org.apache.camel.spi.Metadata;

/** Headers of the {@code weixin:} component. */
public final class WeixinConstants {

    @Metadata(label = "consumer", description = "The channel item id WeChat's retries share: appid:MsgId, or the event key", javaType = "String")
    public static final String ITEM_ID = "CamelWeixinItemId";
    @Metadata(label = "consumer", description = "The citizen's openid (FromUserName, or the jscode2session openid)", javaType = "String")
    public static final String OPEN_ID = "CamelWeixinOpenId";
    @Metadata(label = "consumer", description = "MsgType of a pushed message (text, image, voice, location, event, ...); 'submission' for the form", javaType = "String")
    public static final String MSG_TYPE = "CamelWeixinMsgType";
    @Metadata(label = "consumer", description = "Event of an event push (subscribe, CLICK, ...)", javaType = "String")
    public static final String EVENT = "CamelWeixinEvent";
    @Metadata(label = "consumer", description = "CreateTime of a pushed message, epoch seconds", javaType = "Long")
    public static final String CREATE_TIME = "CamelWeixinCreateTime";
    @Metadata(label = "consumer", description = "True when the push came in safe mode (AES)", javaType = "Boolean")
    public static final String ENCRYPTED = "CamelWeixinEncrypted";
    @Metadata(label = "consumer", description = "Set instead of a message when an authenticated push could not be read: the reason; the body is the raw request {query, body}", javaType = "String")
    public static final String REJECTED = "CamelWeixinRejected";
    @Metadata(label = "consumer", description = "The app the message was pushed to", javaType = "String")
    public static final String APP_ID = "CamelWeixinAppId";
    @Metadata(label = "producer", description = "Which message to send: SUBSCRIBE (/cgi-bin/message/subscribe/send) or CUSTOMER_SERVICE (/cgi-bin/message/custom/send)", javaType = "String")
    public static final String MESSAGE_KIND = "CamelWeixinMessageKind";
    @Metadata(label = "producer", description = "errcode of WeChat's answer (0 on success)", javaType = "Integer")
    public static final String ERRCODE = "CamelWeixinErrcode";

    public static final String KIND_SUBSCRIBE = "SUBSCRIBE";
    public static final String KIND_CUSTOMER_SERVICE = "CUSTOMER_SERVICE";

    private WeixinConstants() {
    }
}
