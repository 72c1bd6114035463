package city.hotline.hub.routing;

import static org.assertj.core.api.Assertions.assertThat;

import city.hotline.hub.calendar.WorkingCalendar;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class RoutingEnrichmentTest {

    static final RoutingEnrichment ROUTING = new RoutingEnrichment(new RoutingProperties(null, null, null, null, null, null),
            new WorkingCalendar("classpath*:mappings/calendar/*.csv"));

    @Test
    void aChannelThatBringsItsOwnCategoryAndUrgencyKeepsThem() {
        ObjectNode ticket = Json.readObject("""
                {"origins":[{"receivedAt":"2026-03-02T02:00:00Z"}],"title":"燃气泄漏","content":"楼道燃气泄漏",
                 "category":{"code":"0199","path":["城乡建设","坐席选择"]},"urgency":"URGENT"}""");

        ROUTING.enrich(ticket);

        assertThat(ticket.at("/category/code").asText()).isEqualTo("0199");
        assertThat(ticket.at("/category/suggested").isMissingNode()).isTrue();
        assertThat(ticket.get("urgency").asText()).isEqualTo("URGENT");
        assertThat(ticket.get("dueAt").asText()).isEqualTo("2026-03-03T02:00:00Z");
    }

    @Test
    void withoutThemTheCategoryIsSuggestedAndTheRulesSetTheLevel() {
        ObjectNode ticket = Json.readObject("""
                {"origins":[{"receivedAt":"2026-03-02T02:00:00Z"}],"title":"孩子上学的学位问题",
                 "content":"今年小学入学，学校说学位已满，孩子不能就近入学，请教育局解决","location":{"address":"岳麓区梅溪湖街道"}}""");

        ROUTING.enrich(ticket);

        assertThat(ticket.at("/category/path/0").asText()).isEqualTo("教育文体");
        assertThat(ticket.at("/category/suggested").asBoolean()).isTrue();
        assertThat(ticket.get("urgency").asText()).isEqualTo("NORMAL");
        assertThat(ticket.at("/location/street").asText()).isEqualTo("梅溪湖街道");
        assertThat(ticket.at("/location/address").asText()).isEqualTo("岳麓区梅溪湖街道");
    }
}
