package city.hotline.hub.channel.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import city.hotline.hub.ticket.Json;
import city.hotline.hub.ticket.PermanentFailure;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class BoardReplyTest {

    @Test
    void aReplyIsPostedAsAFormByDefault() {
        Exchange exchange = delivery("REPLIED", "已安排维修。");

        new BoardReply(props("form"), null).build(exchange);

        assertThat(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class)).startsWith("application/x-www-form-urlencoded");
        assertThat(exchange.getMessage().getBody(String.class))
                .isEqualTo("tid=19302878&fid=146&state=%E5%B7%B2%E5%8A%9E%E7%90%86&content=%E5%B7%B2%E5%AE%89%E6%8E%92%E7%BB%B4%E4%BF%AE%E3%80%82"
                        + "&ticketId=T20261128-ABCDEFGHIJ&status=REPLIED");
    }

    @Test
    void aReplyIsPostedAsJsonWhenConfiguredAndAnOpenStatusIsStill办理中() {
        Exchange exchange = delivery("ASSIGNED", null);

        new BoardReply(props("json"), null).build(exchange);

        assertThat(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class)).startsWith("application/json");
        assertThat(Json.read(exchange.getMessage().getBody(String.class))).isEqualTo(Json.read(
                "{\"tid\":\"19302878\",\"fid\":\"146\",\"state\":\"办理中\",\"ticketId\":\"T20261128-ABCDEFGHIJ\",\"status\":\"ASSIGNED\"}"));
    }

    @Test
    void anOriginWithoutThreadIdCannotBeAnswered() {
        Exchange exchange = delivery("REPLIED", "x");
        exchange.setProperty("hubReplyTarget", "{\"board\":\"city-board\"}");

        assertThatThrownBy(() -> new BoardReply(props("form"), null).build(exchange)).isInstanceOf(PermanentFailure.class);
    }

    private static Exchange delivery(String status, String reply) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty("hubReplyTarget", "{\"tid\":\"19302878\",\"fid\":\"146\"}");
        exchange.setProperty("hubReplyStatus", status);
        exchange.setProperty("hubReplyText", reply);
        exchange.setProperty("hubTicketId", "T20261128-ABCDEFGHIJ");
        return exchange;
    }

    private static BoardProperties props(String format) {
        return new BoardProperties(true, "http://b", List.of("146"), Duration.ofMinutes(5), Duration.ofDays(30), "http://b/reply", format,
                Duration.ofHours(1), 0, 0, List.of("办理中"), null, Map.of());
    }
}
