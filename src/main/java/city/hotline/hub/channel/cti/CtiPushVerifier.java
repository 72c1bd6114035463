package city.hotline.hub.channel.cti;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import city.hotline.hub.relay.StatusSignature;
import city.hotline.hub.ticket.HttpProblem;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.springframework.stereotype.Component;

/**
 * The first step of every phone-channel push (routes/cti.yaml), before anything is read or stored:
 * the Standard Webhooks signature with hub.channels.cti.webhook-secret (the status reports' scheme and
 * verifier, {@link StatusSignature}), or, for a vendor that cannot sign, the secret path token plus the
 * optional source-address allow-list. Failure is a 401 ({@link HttpProblem}); success marks the
 * exchange verified and leaves the body as the exact text received (strict UTF-8: Tencent sends
 * {@code charset=utf8}).
 */
@Component("ctiVerifier")
public class CtiPushVerifier {

    private final CtiProperties props;
    private volatile Webhook webhook;

    public CtiPushVerifier(CtiProperties props) {
        this.props = props;
    }

    /** Standard Webhooks headers signed with hub.channels.cti.webhook-secret, over the exact bytes received. */
    public void verifySigned(Exchange exchange) {
        Message msg = exchange.getMessage();
        String body = strictUtf8(msg.getBody(byte[].class));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : List.of(StatusSignature.ID, StatusSignature.TIMESTAMP, StatusSignature.SIGNATURE)) {
            String value = msg.getHeader(name, String.class);
            if (value == null || value.isBlank()) {
                throw new HttpProblem(401, "missing " + name + " header (CTI pushes are signed the Standard Webhooks way,"
                        + " or sent to /channels/cti/events/{token})");
            }
            headers.put(name, List.of(value.trim()));
        }
        try {
            webhook().verify(body, headers);
        } catch (WebhookVerificationException e) {
            throw new HttpProblem(401, "webhook signature refused: " + e.getMessage());
        }
        exchange.setProperty(CtiIntake.WEBHOOK_ID, "cti:" + headers.get(StatusSignature.ID).get(0));
        verified(exchange, body);
    }

    /** The secret token in the path, compared in constant time, and the source address when an allow-list is set. */
    public void verifyToken(Exchange exchange) {
        Message msg = exchange.getMessage();
        String expected = props.pathToken();
        String given = msg.getHeader("token", String.class);
        if (expected == null || expected.isBlank() || given == null
                || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
            throw new HttpProblem(401, "unknown path token");
        }
        if (!props.allowedSources().isEmpty()) {
            String source = msg instanceof PlatformHttpMessage http ? http.getRequest().getRemoteAddr() : null;
            if (source == null || !props.allowedSources().contains(source)) {
                throw new HttpProblem(401, "source address " + source + " is not in hub.channels.cti.allowed-sources");
            }
        }
        verified(exchange, strictUtf8(msg.getBody(byte[].class)));
    }

    private void verified(Exchange exchange, String body) {
        exchange.setProperty(CtiIntake.VERIFIED, true);
        exchange.setProperty(CtiIntake.RAW, body);
        Message msg = exchange.getMessage();
        exchange.setProperty("ctiAction", query(msg.getHeader(Exchange.HTTP_QUERY, String.class)).get("action"));
        msg.setBody(body);
    }

    private Webhook webhook() {
        Webhook w = webhook;
        if (w == null) {
            String secret = props.webhookSecret();
            if (secret == null || secret.isBlank()) {
                throw new HttpProblem(401, "signed CTI pushes are not configured (hub.channels.cti.webhook-secret)");
            }
            w = StatusSignature.webhook(secret);
            webhook = w;
        }
        return w;
    }

    private static String strictUtf8(byte[] bytes) {
        if (bytes == null) {
            return "";
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new HttpProblem(400, "request body is not valid UTF-8");
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(key, value);
        }
        return out;
    }
}
