package city.hotline.hub.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import city.hotline.hub.support.TestDataDirs;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * DESIGN.md §8: the library starts PostgreSQL with fsync and synchronous_commit off; the hub's does not. It
 * also checkpoints less often than PostgreSQL's defaults (application.yml says why).
 */
class EmbeddedPostgresDurabilityTest {

    @Test
    void theHubsEmbeddedServerIsCrashSafeAndListensOnLoopbackOnly() throws Exception {
        String dir = TestDataDirs.fresh("durable");
        try (EmbeddedPostgres pg = new EmbeddedPostgresConfiguration().embeddedPostgres(dir, 0, true, "256MB", "3GB", "10min")) {
            JdbcTemplate jdbc = new JdbcTemplate(pg.getPostgresDatabase());
            assertThat(jdbc.queryForObject("SHOW fsync", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("SHOW synchronous_commit", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("SHOW full_page_writes", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("SHOW listen_addresses", String.class)).isEqualTo("127.0.0.1");
            assertThat(jdbc.queryForObject("SHOW shared_buffers", String.class)).isEqualTo("256MB");
            assertThat(jdbc.queryForObject("SHOW max_wal_size", String.class)).isEqualTo("3GB");
            assertThat(jdbc.queryForObject("SHOW checkpoint_timeout", String.class)).isEqualTo("10min");
        }
    }
}
