package city.hotline.hub.channel.cti;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Aliyun's RPC request signature (signature version 1.0, HMAC-SHA1), as its SMS API (dysmsapi,
 * SendSms, version 2017-05-25) requires it: the parameters sorted by name, each name and value
 * percent-encoded (RFC 3986: space %20, {@code *} %2A, {@code ~} kept), joined with {@code &}; the
 * string to sign is {@code METHOD&%2F&} plus that text encoded again; the key is the AccessKey secret
 * followed by {@code &}. Written out because the Aliyun SDK is not among the libraries this build can
 * use, and the algorithm is short and fixed (docs/cti.md, "SMS gateway").
 */
public final class AliyunSmsSignature {

    private AliyunSmsSignature() {
    }

    /** The canonical query string: sorted, percent-encoded {@code name=value} pairs. */
    public static String canonical(Map<String, String> params) {
        return new TreeMap<>(params).entrySet().stream()
                .map(e -> percentEncode(e.getKey()) + "=" + percentEncode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    public static String stringToSign(String method, Map<String, String> params) {
        return method + "&" + percentEncode("/") + "&" + percentEncode(canonical(params));
    }

    /** Base64 of HMAC-SHA1(secret + "&", stringToSign). */
    public static String sign(String method, Map<String, String> params, String accessSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec((accessSecret + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign(method, params).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The signed form body: the canonical parameters plus {@code Signature}. */
    public static String signedForm(String method, Map<String, String> params, String accessSecret) {
        return canonical(params) + "&Signature=" + percentEncode(sign(method, params, accessSecret));
    }

    public static String percentEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }
}
