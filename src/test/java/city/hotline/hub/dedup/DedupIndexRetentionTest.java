package city.hotline.hub.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import city.hotline.hub.store.RetentionPurge;
import city.hotline.hub.store.RetentionStore;
import city.hotline.hub.store.TicketStore;
import city.hotline.hub.ticket.Json;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The retention job bounds the near-duplicate index (docs/dedup.md, "Retention"): entries whose report is
 * older than {@code window + retention-margin} (7 d + 7 d) go in batches, with their LSH bucket and key
 * rows; younger entries, and merged ones (a split needs the report they keep), stay.
 */
class DedupIndexRetentionTest extends DedupIntegrationTest {

    @Autowired
    DedupIndex index;
    @Autowired
    RetentionPurge purge;
    @Autowired
    RetentionStore store;
    @Autowired
    DedupProperties props;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void entriesOlderThanTheWindowPlusTheMarginArePurgedInBatchesWithTheirBucketsAndKeys() {
        String run = "ret-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        List<DedupIndex.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            entries.add(entry(run + "-old-" + i, now.minus(Duration.ofDays(15)).minusSeconds(i), false));
        }
        entries.add(entry(run + "-young", now.minus(Duration.ofDays(13)), false));
        entries.add(entry(run + "-merged", now.minus(Duration.ofDays(30)), true));
        index.addAll(entries);
        List<Long> old = jdbc.queryForList("SELECT id FROM dedup_entry WHERE channel_item_id LIKE ?", Long.class, run + "-old-%");
        assertThat(rows("dedup_band", old)).isEqualTo(5 * MinHash.BANDS);
        assertThat(rows("dedup_key", old)).as("requester and place keys").isEqualTo(5 * 2);
        assertThat(props.indexRetention()).isEqualTo(Duration.ofDays(14));

        // one batch takes no more than its size (the oldest first: other tests' old board posts may go before these)
        int before = entries(run + "-%");
        assertThat(store.purgeBatch(RetentionStore.Kind.DEDUP_INDEX, props.indexRetention(), 2)).isEqualTo(2);
        // the job's run takes the rest, batch after batch
        int purged = purge.run().get(RetentionStore.Kind.DEDUP_INDEX);
        assertThat(purged + 2).isGreaterThanOrEqualTo(before - entries(run + "-%"));

        assertThat(entries(run + "-old-%")).isZero();
        assertThat(rows("dedup_band", old)).as("their LSH bucket rows").isZero();
        assertThat(rows("dedup_key", old)).as("their key rows").isZero();
        assertThat(entries(run + "-young")).as("inside window + margin").isEqualTo(1);
        assertThat(entries(run + "-merged")).as("a merged report, kept for a split").isEqualTo(1);
        assertThat(rows("dedup_band", jdbc.queryForList("SELECT id FROM dedup_entry WHERE channel_item_id = ?", Long.class, run + "-young")))
                .isEqualTo(MinHash.BANDS);
    }

    private DedupIndex.Entry entry(String itemId, Instant at, boolean merged) {
        Report r = new Report(TextNormaliser.withBreaks("桂花路" + itemId + "号的路灯坏了一个月，晚上很黑，请尽快修理"), "", null, at,
                Set.of("phone:+86139" + Math.abs(itemId.hashCode())));
        return new DedupIndex.Entry(itemId, new TicketStore.OriginKey("webform", "default", itemId), r, r.buckets(),
                merged ? Json.readObject("{\"ticketId\":\"" + itemId + "\"}") : null);
    }

    private int entries(String itemIdLike) {
        return jdbc.queryForObject("SELECT count(*) FROM dedup_entry WHERE channel_item_id LIKE ?", Integer.class, itemIdLike);
    }

    private int rows(String table, List<Long> entryIds) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE entry_id = ANY(?::bigint[])", Integer.class,
                "{" + String.join(",", entryIds.stream().map(String::valueOf).toList()) + "}");
    }
}
