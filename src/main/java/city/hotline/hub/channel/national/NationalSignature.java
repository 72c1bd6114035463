package city.hotline.hub.channel.national;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * Signs every request the hub sends to the national platform (docs/national-adapter.md, "Signing"):
 * {@code X-App-Key}, {@code X-Timestamp} (epoch seconds), {@code X-Nonce} (32 random hex
 * characters, new for every request, retries included) and {@code X-Signature}, the lowercase hex
 * HMAC-SHA256 with the app secret over {@code appKey + timestamp + nonce + body} (UTF-8; the body
 * is empty for a GET). The JDK's {@link Mac} does the HMAC: no library needed for one call.
 */
@Component("nationalSignature")
public class NationalSignature {

    public static final String APP_KEY = "X-App-Key";
    public static final String TIMESTAMP = "X-Timestamp";
    public static final String NONCE = "X-Nonce";
    public static final String SIGNATURE = "X-Signature";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final NationalProperties props;
    private final Clock clock;

    @org.springframework.beans.factory.annotation.Autowired
    public NationalSignature(NationalProperties props) {
        this(props, Clock.systemUTC());
    }

    NationalSignature(NationalProperties props, Clock clock) {
        this.props = props;
        this.clock = clock;
    }

    /** The signature of one request: lowercase hex HMAC-SHA256(secret, appKey + timestamp + nonce + body). */
    public static String sign(String secret, String appKey, String timestamp, String nonce, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String text = appKey + timestamp + nonce + (body == null ? "" : body);
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Sets the four headers for the message's body (a String, or none for a GET). */
    public void sign(Exchange exchange) {
        Message msg = exchange.getMessage();
        String body = msg.getBody(String.class);
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String nonce = HexFormat.of().formatHex(random);
        msg.setHeader(APP_KEY, props.appKey());
        msg.setHeader(TIMESTAMP, timestamp);
        msg.setHeader(NONCE, nonce);
        msg.setHeader(SIGNATURE, sign(props.appSecret(), props.appKey(), timestamp, nonce, body));
    }
}
