package city.hotline.hub.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import city.hotline.hub.support.TestDataDirs;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** DESIGN.md §8: the library starts PostgreSQL with fsync and synchronous_commit off; the hub's does not. */
class EmbeddedPostgresDurabilityTest {

    @Test
    void theHubsEmbeddedServerIsCrashSafeAndListensOnLoopbackOnly() throws Exception {
        String dir = TestDataDirs.fresh("durable");
        try (EmbeddedPostgres pg = new EmbeddedPostgresConfiguration().embeddedPostgres(dir, 0, true)) {
            JdbcTemplate jdbc = new JdbcTemplate(pg.getPostgresDatabase());
            assertThat(jdbc.queryForObject("SHOW fsync", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("SHOW synchronous_commit", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("SHOW full_page_writes", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("SHOW listen_addresses", String.class)).isEqualTo("127.0.0.1");
        }
    }
}
