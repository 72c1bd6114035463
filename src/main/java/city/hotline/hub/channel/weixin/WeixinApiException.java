package city.hotline.hub.channel.weixin;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import city.hotline.hub.ticket.PermanentFailure;

/**
 * WeChat refused a call for good (the errcode says retrying cannot help): the origin's delivery is
 * FAILED with this reason. {@link #field()} names the subscribe-template field of a 47003.
 */
public class WeixinApiException extends PermanentFailure {

    private static final Pattern FIELD = Pattern.compile("data\\.([A-Za-z_]+[0-9]*)\\.value");
    private final int errcode;
    private final String errmsg;

    public WeixinApiException(int errcode, String errmsg) {
        super(describe(errcode, errmsg));
        this.errcode = errcode;
        this.errmsg = errmsg;
    }

    public int errcode() {
        return errcode;
    }

    public String errmsg() {
        return errmsg;
    }

    /** The template field named in a 47003 errmsg ({@code argument invalid! data.thing1.value ...}), or null. */
    public String field() {
        if (errmsg == null) {
            return null;
        }
        Matcher m = FIELD.matcher(errmsg);
        return m.find() ? m.group(1) : null;
    }

    private static String describe(int errcode, String errmsg) {
        String meaning = switch (errcode) {
            case 43101 -> "the citizen refused or used up the subscription (43101); no retry, fall back to another channel";
            case 45015 -> "outside the 48-hour customer-service window (45015)";
            case 40003 -> "invalid openid (40003): not a user of this app";
            case 47003 -> {
                Matcher m = errmsg == null ? null : FIELD.matcher(errmsg);
                yield "mapping error: WeChat refused subscribe template field '" + (m != null && m.find() ? m.group(1) : "?")
                        + "' (47003); fix mappings/weixin-subscribe.jsonata";
            }
            case 40037 -> "invalid template_id (40037): check hub.channels.weixin.reply-template-id";
            case 41030 -> "page is not a page of the released mini-program (41030)";
            case 48001 -> "api unauthorized (48001): the app lacks this permission";
            default -> "WeChat refused the call (" + errcode + ")";
        };
        return meaning + ": " + errmsg;
    }
}
