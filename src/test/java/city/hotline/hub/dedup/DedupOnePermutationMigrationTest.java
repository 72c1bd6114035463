package city.hotline.hub.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import city.hotline.hub.support.TestDataDirs;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * V125: the signatures changed family, so the entries stored before it get their buckets, sketches and bucket
 * rows worked out again from their texts, and a new report finds them by a shared bucket as before.
 */
class DedupOnePermutationMigrationTest {

    private static final String TEXT = "桂花路口的路灯已经坏了两个多星期，晚上一片漆黑，老人孩子出门很不安全，多次打电话给物业也没有人来修，请有关部门尽快安排维修。";

    @Test
    void entriesStoredBeforeV125GetTheirBucketsSketchesAndRowsAgainAndAreFoundByANearDuplicate() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(Path.of(TestDataDirs.fresh("v125")))
                .setServerConfig("listen_addresses", "127.0.0.1").start()) {
            Flyway.configure().dataSource(pg.getPostgresDatabase()).locations("classpath:db/migration").target("124").load().migrate();
            JdbcTemplate jdbc = new JdbcTemplate(pg.getPostgresDatabase());
            Instant reported = Instant.now().minus(Duration.ofDays(1));
            String stored = TextNormaliser.withBreaks(TEXT);
            for (long n = 1; n <= 1500; n++) {
                long id = n;
                // buckets and sketch of the former family: 16 made-up buckets, and rows for them
                jdbc.update("""
                        INSERT INTO dedup_entry (id, ticket_id, channel, client, channel_item_id, fingerprint, reported_at, norm_text, place_text,
                            sketch, buckets, keys)
                        VALUES (?, ?, 'webform', 'default', ?, ?, ?::timestamptz, ?, '', '\\x00'::bytea, ?::bigint[], '{}')""",
                        id, "T-" + id, "item-" + id, "f" + id, reported.toString(), id == 1 ? stored : stored + id,
                        "{" + String.join(",", java.util.stream.LongStream.rangeClosed(1, 16).mapToObj(b -> Long.toString(b * 10_000 + id)).toList()) + "}");
                jdbc.update("INSERT INTO dedup_band (bucket, reported_at, entry_id) SELECT unnest(buckets), reported_at, id FROM dedup_entry WHERE id = ?", id);
            }

            Flyway.configure().dataSource(pg.getPostgresDatabase()).locations("classpath:db/migration").load().migrate();

            long[] signature = MinHash.signature(TextNormaliser.normalise(TEXT));
            assertThat(jdbc.queryForObject("SELECT buckets FROM dedup_entry WHERE id = 1", java.sql.Array.class).getArray())
                    .isEqualTo(Arrays.stream(MinHash.buckets(signature)).boxed().toArray(Long[]::new));
            assertThat(jdbc.queryForObject("SELECT sketch FROM dedup_entry WHERE id = 1", byte[].class)).isEqualTo(MinHash.sketch(signature));
            assertThat(jdbc.queryForObject("SELECT count(*) FROM dedup_band", Long.class)).isEqualTo(1500L * MinHash.BANDS);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM dedup_band b JOIN dedup_entry e ON e.id = b.entry_id "
                    + "WHERE b.bucket = ANY(e.buckets) AND b.reported_at = e.reported_at", Long.class)).isEqualTo(1500L * MinHash.BANDS);

            Report repost = new Report(TextNormaliser.withBreaks(TEXT + "已经反映过一次了"), "", null, reported.plus(Duration.ofHours(5)), Set.of());
            List<DedupIndex.Candidate> found = new DedupIndex(jdbc).candidates(repost, repost.buckets(), Duration.ofDays(7), DedupProperties.defaults().lookupBounds());
            assertThat(found).extracting(DedupIndex.Candidate::ticketId).contains("T-1");
        }
    }
}
