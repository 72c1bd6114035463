package city.hotline.hub.relay;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import city.hotline.hub.ticket.HttpProblem;
import city.hotline.hub.ticket.HubProperties;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Verifies {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>} on status
 * reports from the case system, over the exact bytes received, in constant time.
 */
@Component("statusSignature")
public class StatusSignature {

    public static final String HEADER = "X-Hub-Signature-256";
    private final byte[] secret;

    public StatusSignature(HubProperties props) {
        this.secret = props.backends().caseSystem().statusSecret().getBytes(StandardCharsets.UTF_8);
    }

    public void verify(Exchange exchange) {
        // JsonBodyFilter has checked the bytes are strict UTF-8, so decoding and re-encoding is lossless
        String text = exchange.getMessage().getBody(String.class);
        byte[] body = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
        String header = exchange.getMessage().getHeader(HEADER, String.class);
        if (header == null || header.isBlank()) {
            throw new HttpProblem(401, "missing " + HEADER + " header");
        }
        if (!header.startsWith("sha256=")) {
            throw new HttpProblem(401, HEADER + " must be sha256=<hex>");
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.substring("sha256=".length()).trim().toLowerCase());
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(401, HEADER + " is not hex");
        }
        if (!MessageDigest.isEqual(given, sign(body))) {
            throw new HttpProblem(401, "signature does not match the body");
        }
        exchange.getMessage().setBody(text);
    }

    public byte[] sign(byte[] body) {
        return hmac(secret, body);
    }

    public static byte[] hmac(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
