package city.hotline.hub.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import city.hotline.hub.intake.InboxFailures;
import city.hotline.hub.ticket.Json;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The split of inbox-to-ticket with an error handler that handles a bad item (as inbox-errors does):
 * the batch's other drafts still reach the step after the split, also when the first item is the bad one.
 */
class DraftBatchTest {

    @Test
    void theDraftsAfterAHandledFailureOfTheFirstItemStillReachTheStepAfterTheSplit() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    onException(IllegalArgumentException.class).handled(true).to("mock:quarantined");
                    from("direct:batch")
                            .split(body(), new DraftBatch())
                                .process(e -> {
                                    String item = e.getMessage().getBody(String.class);
                                    if (item.startsWith("bad")) {
                                        throw new IllegalArgumentException(item);
                                    }
                                    e.getMessage().setBody(new TicketDraft(new InboxFailures.Item(1, null, 0, "national", item, "T", "{}"),
                                            Json.object().put("ticketId", item)));
                                })
                            .end()
                            .to("mock:recordBatch");
                }
            });
            camel.start();
            MockEndpoint recorded = camel.getEndpoint("mock:recordBatch", MockEndpoint.class);
            recorded.expectedMessageCount(1);

            camel.createProducerTemplate().sendBody("direct:batch", List.of("bad-1", "bad-2", "good-1", "good-2"));

            recorded.assertIsSatisfied();
            List<?> drafts = recorded.getReceivedExchanges().get(0).getMessage().getBody(List.class);
            assertThat(drafts).map(d -> ((TicketDraft) d).ticket().get("ticketId").asText()).containsExactly("good-1", "good-2");
            assertThat(camel.getEndpoint("mock:quarantined", MockEndpoint.class).getReceivedCounter()).isEqualTo(2);
        }
    }
}
