package city.hotline.hub.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import city.hotline.hub.store.RetentionStore;
import city.hotline.hub.support.TestDataDirs;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * V124: index entries stored before it get their buckets and keys from their rows, so the retention purge,
 * which now finds an entry's rows through the look-up's indexes (the indexes by entry id are gone), still
 * deletes them.
 */
class DedupRowsPurgedByTheirKeysMigrationTest {

    @Test
    void entriesStoredBeforeV124KeepTheirBucketsAndKeysAndThePurgeStillTakesTheirRows() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(Path.of(TestDataDirs.fresh("v124")))
                .setServerConfig("listen_addresses", "127.0.0.1").start()) {
            Flyway.configure().dataSource(pg.getPostgresDatabase()).locations("classpath:db/migration").target("123").load().migrate();
            JdbcTemplate jdbc = new JdbcTemplate(pg.getPostgresDatabase());
            jdbc.update("""
                    INSERT INTO dedup_entry (id, ticket_id, channel, client, channel_item_id, fingerprint, reported_at, norm_text, place_text)
                    VALUES (1, 'T-old', 'webform', 'default', 'old', 'f1', now() - interval '20 days', '桂花路路灯坏了', ''),
                           (2, 'T-new', 'webform', 'default', 'new', 'f2', now() - interval '1 day', '桂花路路灯坏了', '')""");
            for (long id : new long[] {1, 2}) {
                for (long bucket = 1; bucket <= 16; bucket++) {
                    jdbc.update("INSERT INTO dedup_band (bucket, reported_at, entry_id) SELECT ?, reported_at, id FROM dedup_entry WHERE id = ?",
                            bucket * 100 + id, id);
                }
                jdbc.update("INSERT INTO dedup_key (key, reported_at, entry_id) SELECT 'place:桂花路', reported_at, id FROM dedup_entry WHERE id = ?", id);
            }

            Flyway.configure().dataSource(pg.getPostgresDatabase()).locations("classpath:db/migration").target("124").load().migrate();

            assertThat(jdbc.queryForObject("SELECT cardinality(buckets) FROM dedup_entry WHERE id = 1", Integer.class)).isEqualTo(16);
            assertThat(jdbc.queryForObject("SELECT array_to_string(keys, ',') FROM dedup_entry WHERE id = 1", String.class)).isEqualTo("place:桂花路");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM pg_indexes WHERE indexname IN ('dedup_band_entry', 'dedup_key_entry')", Integer.class))
                    .isZero();

            assertThat(new RetentionStore(jdbc).purgeBatch(RetentionStore.Kind.DEDUP_INDEX, Duration.ofDays(14), 100)).isEqualTo(1);

            assertThat(jdbc.queryForList("SELECT DISTINCT entry_id FROM dedup_band", Long.class)).containsExactly(2L);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM dedup_band", Integer.class)).isEqualTo(16);
            assertThat(jdbc.queryForList("SELECT entry_id FROM dedup_key", Long.class)).containsExactly(2L);
            assertThat(jdbc.queryForList("SELECT id FROM dedup_entry", Long.class)).containsExactly(2L);
        }
    }
}
