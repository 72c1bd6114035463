package city.hotline.hub.channel.cti;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import city.hotline.hub.ticket.HttpProblem;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The path token and the source-address allow-list (hub.channels.cti.path-token, allowed-sources). */
class CtiPathTokenTest {

    private final CtiPushVerifier intake = new CtiPushVerifier(
            new CtiProperties(true, "yeastar", "s", "the-token", List.of("10.1.2.3"), null, null, null));

    @Test
    void theRightTokenFromAnAllowedAddressIsVerified() {
        Exchange exchange = push("the-token", "10.1.2.3");
        intake.verifyToken(exchange);
        assertThat(exchange.getProperty(CtiIntake.VERIFIED, Boolean.class)).isTrue();
    }

    @Test
    void theRightTokenFromAnotherAddressIs401() {
        assertThatThrownBy(() -> intake.verifyToken(push("the-token", "192.0.2.9")))
                .isInstanceOfSatisfying(HttpProblem.class, p -> assertThat(p.status()).isEqualTo(401)).hasMessageContaining("192.0.2.9");
    }

    @Test
    void aWrongOrMissingTokenIs401() {
        assertThatThrownBy(() -> intake.verifyToken(push("the-tokem", "10.1.2.3"))).isInstanceOf(HttpProblem.class);
        assertThatThrownBy(() -> intake.verifyToken(push(null, "10.1.2.3"))).isInstanceOf(HttpProblem.class);
    }

    @Test
    void withoutAConfiguredTokenThePathIsClosed() {
        CtiPushVerifier closed = new CtiPushVerifier(new CtiProperties(true, "yeastar", "s", "", List.of(), null, null, null));
        assertThatThrownBy(() -> closed.verifyToken(push("", "10.1.2.3"))).isInstanceOf(HttpProblem.class);
    }

    private static Exchange push(String token, String source) {
        DefaultCamelContext camel = new DefaultCamelContext();
        Exchange exchange = new DefaultExchange(camel);
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/channels/cti/events/" + token);
        request.setRemoteAddr(source);
        PlatformHttpMessage msg = new PlatformHttpMessage(request, new MockHttpServletResponse(), exchange, null, false);
        msg.setHeader("token", token);
        msg.setBody("{\"event\":\"NewCdr\"}".getBytes(StandardCharsets.UTF_8));
        exchange.setMessage(msg);
        return exchange;
    }
}
