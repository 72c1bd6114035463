package city.hotline.hub.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import city.hotline.hub.support.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The retention purge on a real PostgreSQL: exactly the finished rows older than the retention go,
 * in batches; pending, failed, quarantined and young rows, open quarantine items, tickets and their
 * history stay; a row another transaction holds is skipped rather than waited for.
 */
class RetentionPurgeTest {

    private static final String OLD = "now() - interval '31 days'";
    private static final String YOUNG = "now() - interval '29 days'";
    private static HikariDataSource pool;
    private JdbcTemplate jdbc;
    private SimpleMeterRegistry meters;

    @BeforeAll
    static void database() {
        pool = TestDatabase.newPool("retention-test");
    }

    @AfterAll
    static void close() {
        pool.close();
    }

    @BeforeEach
    void emptyTables() {
        jdbc = new JdbcTemplate(pool);
        jdbc.execute("TRUNCATE inbox, forward_outbox, reply_delivery, status_update, ticket_origin, ticket_event, quarantine, "
                + "poll_rejected, ticket, dedup_entry CASCADE");
        meters = new SimpleMeterRegistry();
    }

    private RetentionPurge purge(int batchSize) {
        Duration month = Duration.ofDays(30);
        return new RetentionPurge(new RetentionStore(jdbc), new RetentionProperties(month, month, month, batchSize), meters);
    }

    private void ticket(String id) {
        jdbc.update("INSERT INTO ticket (ticket_id, status, body, created_at, updated_at) VALUES (?, 'FORWARDED', '{}', "
                + OLD + ", " + OLD + ")", id);
        jdbc.update("INSERT INTO ticket_event (ticket_id, kind, at) VALUES (?, 'CREATED', " + OLD + ")", id);
    }

    private void inbox(String itemId, String state, String processedAt) {
        jdbc.update("INSERT INTO inbox (receipt_id, channel, channel_item_id, payload, payload_sha256, state, received_at, processed_at) "
                + "VALUES (gen_random_uuid(), 'webform', ?, '{}', ?, ?, " + OLD + ", " + processedAt + ")", itemId, itemId, state);
    }

    private void forward(String ticketId, String state, String sentAt) {
        jdbc.update("INSERT INTO forward_outbox (ticket_id, backend, payload, state, created_at, sent_at) VALUES (?, 'case-system', '{}', ?, "
                + OLD + ", " + sentAt + ")", ticketId, state);
    }

    private void delivery(String ticketId, String itemId, String state, String updatedAt) {
        Long statusId = jdbc.queryForObject("INSERT INTO status_update (ticket_id, status, at, fingerprint, outcome) "
                + "VALUES (?, 'ACCEPTED', " + OLD + ", ?, 'APPLIED') RETURNING id", Long.class, ticketId, itemId);
        Long originId = jdbc.queryForObject("INSERT INTO ticket_origin (ticket_id, channel, channel_item_id, received_at) "
                + "VALUES (?, 'webform', ?, " + OLD + ") RETURNING id", Long.class, ticketId, itemId);
        jdbc.update("INSERT INTO reply_delivery (ticket_id, status_update_id, origin_id, channel, state, created_at, updated_at) "
                + "VALUES (?, ?, ?, 'webform', ?, " + OLD + ", " + updatedAt + ")", ticketId, statusId, originId, state);
    }

    private long quarantine(String reason, String state, String replayedAt) {
        Long id = jdbc.queryForObject("INSERT INTO quarantine (channel, stage, reason, payload, state, received_at, replayed_at) "
                + "VALUES ('board', 'INTAKE', ?, '<raw/>', ?, " + OLD + ", " + replayedAt + ") RETURNING id", Long.class, reason, state);
        jdbc.update("INSERT INTO poll_rejected (channel, raw_sha256, quarantine_id) VALUES ('board', ?, ?)", reason, id);
        return id;
    }

    private List<String> column(String sql) {
        return jdbc.queryForList(sql, String.class);
    }

    @Test
    void exactlyTheOldDoneAndSentRowsGoAndEverythingElseStays() {
        ticket("T1");
        inbox("done-old-1", "DONE", OLD);
        inbox("done-old-2", "DONE", OLD);
        inbox("done-old-3", "DONE", OLD);
        inbox("done-young", "DONE", YOUNG);
        inbox("pending-old", "PENDING", "NULL");
        inbox("quarantined-old", "QUARANTINED", OLD);
        forward("T1", "SENT", OLD);
        forward("T1", "SENT", OLD);
        forward("T1", "SENT", YOUNG);
        forward("T1", "PENDING", "NULL");
        forward("T1", "QUARANTINED", "NULL");
        delivery("T1", "sent-old-1", "SENT", OLD);
        delivery("T1", "sent-old-2", "SENT", OLD);
        delivery("T1", "sent-young", "SENT", YOUNG);
        delivery("T1", "failed-old", "FAILED", OLD);
        delivery("T1", "pending-old", "PENDING", OLD);
        long replayedOld = quarantine("replayed-old", "REPLAYED", OLD);
        long replayedYoung = quarantine("replayed-young", "REPLAYED", YOUNG);
        long open = quarantine("open-old", "OPEN", "NULL");

        Map<RetentionStore.Kind, Integer> purged = purge(2).run();

        assertThat(purged).containsEntry(RetentionStore.Kind.INBOX, 3).containsEntry(RetentionStore.Kind.FORWARD_OUTBOX, 2)
                .containsEntry(RetentionStore.Kind.REPLY_DELIVERY, 2).containsEntry(RetentionStore.Kind.RAW_PAYLOAD, 1);
        assertThat(column("SELECT channel_item_id FROM inbox ORDER BY channel_item_id"))
                .containsExactly("done-young", "pending-old", "quarantined-old");
        assertThat(column("SELECT state || ':' || coalesce(sent_at::text, '-') FROM forward_outbox"))
                .hasSize(3).filteredOn(s -> s.startsWith("SENT")).hasSize(1);
        assertThat(column("SELECT o.channel_item_id FROM reply_delivery d JOIN ticket_origin o ON o.id = d.origin_id ORDER BY 1"))
                .containsExactly("failed-old", "pending-old", "sent-young");
        assertThat(jdbc.queryForObject("SELECT payload FROM quarantine WHERE id = ?", String.class, replayedOld)).isNull();
        assertThat(jdbc.queryForObject("SELECT payload FROM quarantine WHERE id = ?", String.class, replayedYoung)).isEqualTo("<raw/>");
        assertThat(jdbc.queryForObject("SELECT payload FROM quarantine WHERE id = ?", String.class, open)).isEqualTo("<raw/>");
        assertThat(column("SELECT raw_sha256 FROM poll_rejected ORDER BY 1")).containsExactly("open-old", "replayed-young");
        // tickets and their history are kept
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ticket", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ticket_event", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ticket_origin", Integer.class)).isEqualTo(5);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM status_update", Integer.class)).isEqualTo(5);
        assertThat(meters.counter("hub.retention.purged", "table", "inbox").count()).isEqualTo(3.0);
        assertThat(meters.counter("hub.retention.purged", "table", "reply_delivery").count()).isEqualTo(2.0);
        // a second run finds nothing more
        assertThat(purge(2).run()).containsOnlyKeys(RetentionStore.Kind.values()).allSatisfy((k, n) -> assertThat(n).isZero());
    }

    @Test
    void rowsGoInBatchesOfTheConfiguredSize() {
        for (int i = 0; i < 5; i++) {
            inbox("done-" + i, "DONE", OLD);
        }
        RetentionStore store = new RetentionStore(jdbc);
        Duration month = Duration.ofDays(30);

        assertThat(List.of(store.purgeBatch(RetentionStore.Kind.INBOX, month, 2), store.purgeBatch(RetentionStore.Kind.INBOX, month, 2),
                store.purgeBatch(RetentionStore.Kind.INBOX, month, 2), store.purgeBatch(RetentionStore.Kind.INBOX, month, 2)))
                .containsExactly(2, 2, 1, 0);
    }

    @Test
    void aRowAnotherTransactionHoldsIsSkippedNotWaitedForAndGoesInTheNextRun() throws Exception {
        inbox("held", "DONE", OLD);
        inbox("free", "DONE", OLD);
        try (Connection worker = pool.getConnection(); Statement st = worker.createStatement()) {
            worker.setAutoCommit(false);
            st.execute("SELECT id FROM inbox WHERE channel_item_id = 'held' FOR UPDATE");

            assertThat(purge(10).run()).containsEntry(RetentionStore.Kind.INBOX, 1);
            assertThat(column("SELECT channel_item_id FROM inbox")).containsExactly("held");

            worker.commit();
        }
        assertThat(purge(10).run()).containsEntry(RetentionStore.Kind.INBOX, 1);
        assertThat(column("SELECT channel_item_id FROM inbox")).isEmpty();
    }
}
