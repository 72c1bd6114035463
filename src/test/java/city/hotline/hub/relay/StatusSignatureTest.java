package city.hotline.hub.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.standardwebhooks.exceptions.WebhookVerificationException;
import org.junit.jupiter.api.Test;

/** The key rule of Standard Webhooks: whsec_ secrets are base64, anything else is its UTF-8 bytes. */
class StatusSignatureTest {

    private static final String BODY = "{\"ticketId\":\"T1\",\"status\":\"ACCEPTED\",\"at\":\"2026-11-28T10:00:00Z\"}";

    @Test
    void aWhsecSecretIsBase64DecodedAsStandardWebhooksLibrariesDo() throws Exception {
        byte[] key = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        long ts = Instant.now().getEpochSecond();
        String expected = "v1," + Base64.getEncoder().encodeToString(hmac(key, "msg_1." + ts + "." + BODY));
        assertThat(StatusSignature.sign(secret, "msg_1", ts, BODY)).isEqualTo(expected);
        StatusSignature.webhook(secret).verify(BODY, headers("msg_1", ts, expected));
    }

    @Test
    void anyOtherSecretIsUsedAsItsUtf8Bytes() throws Exception {
        String secret = "本地-secret-not-base64";
        long ts = Instant.now().getEpochSecond();
        String expected = "v1," + Base64.getEncoder().encodeToString(hmac(secret.getBytes(StandardCharsets.UTF_8), "msg_2." + ts + "." + BODY));
        assertThat(StatusSignature.sign(secret, "msg_2", ts, BODY)).isEqualTo(expected);
        StatusSignature.webhook(secret).verify(BODY, headers("msg_2", ts, expected));
        // the signature covers the id and the time, not only the body
        assertThatThrownBy(() -> StatusSignature.webhook(secret).verify(BODY, headers("msg_3", ts, expected)))
                .isInstanceOf(WebhookVerificationException.class);
    }

    private static Map<String, List<String>> headers(String id, long ts, String signature) {
        return HttpHeaders.of(Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(Long.toString(ts)),
                "webhook-signature", List.of(signature)), (a, b) -> true).map();
    }

    private static byte[] hmac(byte[] key, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }
}
