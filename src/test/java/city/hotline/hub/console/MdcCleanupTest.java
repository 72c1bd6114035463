package city.hotline.hub.console;

import static org.assertj.core.api.Assertions.assertThat;

import city.hotline.hub.support.HubIntegrationTest;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Issue 8, point 11: no ticket id is left in the MDC of a pooled thread after a request or an exchange. */
class MdcCleanupTest extends HubIntegrationTest {

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;

    @Test
    void theMdcIsClearedAfterEveryExchangeCompletedOrFailed() throws Exception {
        if (camel.getRoute("mdc-probe") == null) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:mdc-probe").routeId("mdc-probe").process(e -> {
                        MDC.put("ticketId", e.getMessage().getBody(String.class));
                        if (e.getMessage().getHeader("fail") != null) {
                            throw new IllegalStateException("probe failure");
                        }
                    });
                }
            });
        }
        producer.sendBody("direct:mdc-probe", "T20261130-PROBE00001");
        assertThat(MDC.get("ticketId")).isNull();

        producer.send("direct:mdc-probe", e -> {
            e.getMessage().setBody("T20261130-PROBE00002");
            e.getMessage().setHeader("fail", true);
        });
        assertThat(MDC.get("ticketId")).isNull();
    }

    @Test
    void theMdcIsClearedAfterEveryHttpRequest() throws Exception {
        MdcCleanup.MdcClearingFilter filter = new MdcCleanup.MdcClearingFilter();
        MDC.put("ticketId", "T-left-over-from-before");
        String[] seen = new String[1];
        filter.doFilter(new MockHttpServletRequest("POST", "/api/v1/intake/webform"), new MockHttpServletResponse(), (req, res) -> {
            seen[0] = MDC.get("ticketId");
            MDC.put("ticketId", "T20261130-REQUEST001");
        });
        assertThat(seen[0]).as("a request starts without a ticket").isNull();
        assertThat(MDC.get("ticketId")).isNull();
    }
}
