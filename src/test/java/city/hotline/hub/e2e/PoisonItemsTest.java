package city.hotline.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import city.hotline.hub.store.InboxStore;
import city.hotline.hub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 8, point 1: items that were accepted (here: stored the way a polled channel stores them,
 * past the HTTP intake's checks) and fail later are quarantined with their reason, and a thousand
 * of them in a row do not hold up the good items behind them.
 */
class PoisonItemsTest extends HubIntegrationTest {

    @Autowired
    InboxStore inbox;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aThousandPoisonItemsInARowAreQuarantinedWithTheirReasonAndTheGoodItemsBehindThemAreForwardedPromptly() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<InboxStore.Delivery> poison = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String id = "poison-" + run + "-" + i;
            String payload = switch (i % 4) {
                // a NUL in a nested field: PostgreSQL's jsonb would refuse it
                case 0 -> "{\"externalId\":\"" + id + "\",\"content\":\"ok\",\"requester\":{\"name\":\"a\\u0000b\"}}";
                // a lone surrogate: cannot be encoded at all
                case 1 -> "{\"externalId\":\"" + id + "\",\"content\":\"ok\",\"requester\":{\"name\":\"\\udc00\"}}";
                // the ticket schema fails (no content)
                case 2 -> "{\"externalId\":\"" + id + "\"}";
                // not JSON at all
                default -> "{\"externalId\":\"" + id + "\",";
            };
            poison.add(new InboxStore.Delivery("webform", id, payload));
        }
        tx.executeWithoutResult(s -> inbox.acceptAll(poison));

        List<String> good = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = "good-" + run + "-" + i;
            good.add(id);
            assertThat(postJson("/api/v1/intake/webform", "{\"externalId\":\"" + id + "\",\"content\":\"井盖缺失\"}").statusCode()).isEqualTo(202);
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> good.stream().allMatch(id -> {
            var t = ticketFor("webform", id);
            return t != null && "FORWARDED".equals(t.get("status").asText());
        }));
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM inbox WHERE channel_item_id LIKE ? AND state = 'QUARANTINED'", Long.class, "poison-" + run + "-%") == 1000);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM quarantine q JOIN inbox i ON i.id = q.ref_id WHERE i.channel_item_id LIKE ? AND q.stage = 'MAPPING'",
                Long.class, "poison-" + run + "-%")).isEqualTo(1000);
        assertThat(reason("poison-" + run + "-0")).contains("/requester/name").contains("control character (U+0000)");
        assertThat(reason("poison-" + run + "-1")).contains("/requester/name").contains("lone surrogate");
        assertThat(reason("poison-" + run + "-2")).contains("ticket.schema.json");
        assertThat(reason("poison-" + run + "-3")).contains("malformed JSON");
        // each was tried once: bad data is not retried
        assertThat(jdbc.queryForObject("SELECT max(attempts) FROM inbox WHERE channel_item_id LIKE ?", Integer.class, "poison-" + run + "-%")).isEqualTo(1);
    }

    private String reason(String itemId) {
        return jdbc.queryForObject("SELECT last_error FROM inbox WHERE channel_item_id = ?", String.class, itemId);
    }
}
