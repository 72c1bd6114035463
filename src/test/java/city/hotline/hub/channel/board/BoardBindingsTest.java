package city.hotline.hub.channel.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import city.hotline.hub.onboarding.ChannelBinding;
import city.hotline.hub.onboarding.ChannelFileError;
import city.hotline.hub.ticket.HubProperties;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;

/** The board's keys (hub.channels.board.*) become kind properties with the same meaning, checked like a binding file. */
class BoardBindingsTest {

    @Test
    void theForumsAreOneHttpPollBindingWithASourcePerForumAndEachScrapedBoardAnHtmlBoardBinding() {
        Map<String, ChannelBinding> bindings = new BoardBindings(props(Duration.ofMinutes(5), 20), null, new StandardEnvironment()).bindings();

        assertThat(bindings).containsOnlyKeys("board-poll", "board-html-city-board-poll");
        ChannelBinding api = bindings.get("board-poll");
        assertThat(api.kind()).isEqualTo("http-poll");
        assertThat(api.name()).isEqualTo("board");
        assertThat(api.properties()).containsEntry("url", "http://b/threads/queryThreadsList")
                .containsEntry("paging", "watermark").containsEntry("sources", "146,5050").containsEntry("sourceKey", "fid:{source}")
                .containsEntry("method", "POST").containsEntry("body", "fid={source}&state=1&lastItem={cursor}&pageSize=20")
                .containsEntry("firstCursor", "0").containsEntry("reader", "boardApiReader").containsEntry("tracker", "boardThreads")
                .containsEntry("interval", "300000").containsEntry("backfill", String.valueOf(Duration.ofDays(30).toSeconds()))
                .containsEntry("recheckInterval", "3600000").containsEntry("backoffInitial", "30000")
                .containsEntry("backoffMultiplier", "2.0").containsEntry("maxBackoff", "3600");
        ChannelBinding html = bindings.get("board-html-city-board-poll");
        assertThat(html.kind()).isEqualTo("html-board");
        assertThat(html.properties()).containsEntry("source", "html:city-board").containsEntry("itemIdPrefix", "city-board:")
                .containsEntry("itemShape", "board-api").containsEntry("idPattern", "tid=(\\d+)")
                .containsEntry("detailAnswer", "div.reply div.reply-content").containsEntry("tracker", "boardThreads");
    }

    @Test
    void aValueTheKindRefusesFailsWithTheKeysItCameFrom() {
        assertThatThrownBy(() -> new BoardBindings(props(Duration.ofMillis(50), 0), null, new StandardEnvironment()).bindings())
                .isInstanceOf(ChannelFileError.class).hasMessageContaining("hub.channels.board").hasMessageContaining("interval");
    }

    private static BoardProperties props(Duration pollInterval, int pageSize) {
        return new BoardProperties(true, "http://b", List.of("146", "5050"), pollInterval, Duration.ofDays(30), "http://b/reply", "form",
                Duration.ofHours(1), pageSize, 0, List.of("办理中"),
                new HubProperties.Retry(Duration.ofSeconds(30), 2.0, Duration.ofHours(1), null, null),
                Map.of("city-board", HtmlBoardPagesTest.CITY_BOARD));
    }
}
