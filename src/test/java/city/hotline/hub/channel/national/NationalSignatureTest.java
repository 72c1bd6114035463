package city.hotline.hub.channel.national;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The worked example of docs/national-adapter.md, "Signing" (expected values from openssl dgst -sha256 -hmac). */
class NationalSignatureTest {

    static final String SECRET = "s3cr3t-example";
    static final String KEY = "hub-city-0571";

    @Test
    void theWorkedExampleOfTheSpecSignsAppKeyTimestampNonceAndBody() {
        String body = "{\"receivedAt\":\"2026-09-30T10:05:00+08:00\",\"ticketId\":\"T20260930-0000000001\"}";
        assertThat(NationalSignature.sign(SECRET, KEY, "1790000000", "8f14e45fceea167a5a36dedd4bea2543", body))
                .isEqualTo("e48eb9fe06c5eb9f904bc8a518f0feb5244239ca1411ce8a4e372fe93dca6ebb");
    }

    @Test
    void aGetIsSignedOverAnEmptyBody() {
        assertThat(NationalSignature.sign(SECRET, KEY, "1790000000", "e4da3b7fbbce2345d7772b0674a318d5", null))
                .isEqualTo("64a0ea39de08bcad88c699c5819f22327d8b6bb4b35b5ef661b96162b390f496");
    }

    @Test
    void everyRequestGetsTheFourHeadersAndANewNonce() {
        NationalProperties props = new NationalProperties(true, "http://p", KEY, SECRET, null, null, null, 0, 0, null, null);
        NationalSignature signer = new NationalSignature(props, Clock.fixed(Instant.ofEpochSecond(1790000000L), ZoneOffset.UTC));
        Exchange a = new DefaultExchange(new DefaultCamelContext());
        a.getMessage().setBody("{}");
        Exchange b = new DefaultExchange(a.getContext());
        b.getMessage().setBody("{}");
        signer.sign(a);
        signer.sign(b);
        assertThat(a.getMessage().getHeader("X-App-Key")).isEqualTo(KEY);
        assertThat(a.getMessage().getHeader("X-Timestamp")).isEqualTo("1790000000");
        String nonce = a.getMessage().getHeader("X-Nonce", String.class);
        assertThat(nonce).matches("[0-9a-f]{32}").isNotEqualTo(b.getMessage().getHeader("X-Nonce"));
        assertThat(a.getMessage().getHeader("X-Signature"))
                .isEqualTo(ExpectedSignature.hmac(SECRET, KEY + "1790000000" + nonce + "{}"));
        assertThat(props.toString()).doesNotContain(SECRET);
    }
}
