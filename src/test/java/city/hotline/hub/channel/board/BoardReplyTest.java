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

        new BoardReply(props("form"), null, new city.hotline.hub.relay.PublicReplyText(id -> null)).build(exchange);

        assertThat(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class)).startsWith("application/x-www-form-urlencoded");
        assertThat(exchange.getMessage().getBody(String.class))
                .isEqualTo("tid=19302878&fid=146&state=%E5%B7%B2%E5%8A%9E%E7%90%86&content=%E5%B7%B2%E5%AE%89%E6%8E%92%E7%BB%B4%E4%BF%AE%E3%80%82"
                        + "&ticketId=T20261128-ABCDEFGHIJ&status=REPLIED");
    }

    @Test
    void aReplyIsPostedAsJsonWhenConfiguredAndAnOpenStatusIsStill办理中() {
        Exchange exchange = delivery("ASSIGNED", null);

        new BoardReply(props("json"), null, new city.hotline.hub.relay.PublicReplyText(id -> null)).build(exchange);

        assertThat(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class)).startsWith("application/json");
        assertThat(Json.read(exchange.getMessage().getBody(String.class))).isEqualTo(Json.read(
                "{\"tid\":\"19302878\",\"fid\":\"146\",\"state\":\"办理中\",\"ticketId\":\"T20261128-ABCDEFGHIJ\",\"status\":\"ASSIGNED\"}"));
    }

    @Test
    void anOriginWithoutThreadIdCannotBeAnswered() {
        Exchange exchange = delivery("REPLIED", "x");
        exchange.setProperty("hubReplyTarget", "{\"board\":\"city-board\"}");

        assertThatThrownBy(() -> new BoardReply(props("form"), null, new city.hotline.hub.relay.PublicReplyText(id -> null)).build(exchange)).isInstanceOf(PermanentFailure.class);
    }

    @Test
    void aBoardReplyIsPublishedWithPhoneIdNumbersAndTheCitizensNameMaskedButTheHandlingUnitKept() {
        // message 2759 of the public data set: its reply names the citizen and gives telephone numbers
        // (anonymised to 0000-00000000 in the data set; real-looking numbers put back here)
        String fixture = fixtureReply("2759").replace("0731-0000-00000000", "0731-88886666");
        String reply = fixture + " 如有疑问请联系经办人13812345678，身份证号430102199001011234已核实。";
        assertThat(reply).contains("A3区学士街道", "A00077538", "0731-88886666");
        Exchange exchange = delivery("REPLIED", reply);

        new BoardReply(props("json"), null, new city.hotline.hub.relay.PublicReplyText(id -> "A00077538")).build(exchange);

        String content = Json.read(exchange.getMessage().getBody(String.class)).get("content").asText();
        assertThat(content).doesNotContain("13812345678", "430102199001011234", "88886666", "A00077538")
                .contains("138****5678", "430102********1234", "0731****6666", "A********", "A3区学士街道", "含浦街道");
    }

    private static String fixtureReply(String id) {
        return city.hotline.hub.support.BoardFixtures.postsWithReplies().stream().filter(p -> p.id().equals(id))
                .findFirst().orElseThrow().reply().strip();
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
