package city.hotline.hub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import city.hotline.hub.store.claim.Claim;
import city.hotline.hub.store.claim.ClaimLost;
import city.hotline.hub.store.claim.ClaimedRows;
import city.hotline.hub.support.HubIntegrationTest;
import city.hotline.hub.ticket.Json;
import city.hotline.hub.ticket.TicketIds;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Claims on the forward outbox, on a back-end lane of its own (the running hub only claims its
 * case-system lane, so it leaves these rows alone): what several instances rely on.
 */
class OutboxClaimTest extends HubIntegrationTest {

    @Autowired
    ForwardOutboxStore outbox;
    @Autowired
    TicketStore tickets;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void eightClaimersRacingForTwoHundredRowsHandleEachRowExactlyOnce() throws Exception {
        String lane = lane();
        for (int i = 0; i < 200; i++) {
            outbox.enqueue(ticket(), lane, "{}");
        }
        List<Long> handled = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            String owner = "instance-" + t;
            runs.add(pool.submit(() -> {
                List<Map<String, Object>> rows;
                while (!(rows = outbox.claim(Claim.next(owner, Duration.ofSeconds(60)), lane, 7)).isEmpty()) {
                    for (Map<String, Object> row : rows) {
                        handled.add(((Number) row.get("id")).longValue());
                        outbox.markSent(((Number) row.get("id")).longValue(), (UUID) row.get("claim_token"));
                    }
                }
            }));
        }
        for (Future<?> f : runs) {
            f.get();
        }
        pool.shutdown();
        assertThat(handled).hasSize(200).doesNotHaveDuplicates();
    }

    @Test
    void aRowWhoseLeaseRanOutIsTakenOverAndTheFirstClaimCanNoLongerMarkItSent() {
        String lane = lane();
        outbox.enqueue(ticket(), lane, "{}");
        Map<String, Object> first = outbox.claim(Claim.next("crashed", Duration.ofMillis(300)), lane, 10).get(0);
        assertThat(outbox.claim(Claim.next("survivor", Duration.ofSeconds(60)), lane, 10)).as("held by the first claim").isEmpty();

        Map<String, Object> second = await().atMost(Duration.ofSeconds(10)).until(
                () -> outbox.claim(Claim.next("survivor", Duration.ofSeconds(60)), lane, 10), r -> !r.isEmpty()).get(0);

        assertThat(second.get("id")).isEqualTo(first.get("id"));
        long id = ((Number) first.get("id")).longValue();
        assertThatThrownBy(() -> outbox.markSent(id, (UUID) first.get("claim_token"))).isInstanceOf(ClaimLost.class);
        outbox.markSent(id, (UUID) second.get("claim_token"));
        assertThatThrownBy(() -> outbox.reschedule(id, (UUID) second.get("claim_token"), Instant.now(), "late"))
                .as("a settled row is no longer claimed by anyone").isInstanceOf(ClaimLost.class);
    }

    @Test
    void anInstanceThatRestartsReleasesItsOwnClaimsAtOnceAndNoOneElses() {
        String lane = lane();
        outbox.enqueue(ticket(), lane, "{\"n\":1}");
        outbox.enqueue(ticket(), lane, "{\"n\":2}");
        outbox.claim(Claim.next("node-a", Duration.ofSeconds(60)), lane, 1);
        outbox.claim(Claim.next("node-b", Duration.ofSeconds(60)), lane, 1);
        assertThat(outbox.claim(Claim.next("node-c", Duration.ofSeconds(60)), lane, 10)).isEmpty();

        assertThat(outbox.releaseAll("node-a")).isGreaterThanOrEqualTo(1);

        List<Map<String, Object>> taken = outbox.claim(Claim.next("node-c", Duration.ofSeconds(60)), lane, 10);
        assertThat(taken).hasSize(1);
        assertThat(taken.get(0).get("payload")).isEqualTo("{\"n\":1}");
    }

    @Test
    void anUpdateIsNotClaimedWhileTheCreationOfItsTicketIsStillPending() {
        String lane = lane();
        String ticketId = ticket();
        outbox.enqueue(ticketId, lane, "{\"v\":1}");
        outbox.enqueueAll(List.of(ticketId), List.of(lane), List.of("{\"v\":2}"), ForwardOutboxStore.Kind.UPDATE, List.of(2));

        List<Map<String, Object>> rows = outbox.claim(Claim.next("n", Duration.ofSeconds(60)), lane, 10);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("kind")).isEqualTo("CREATE");
        assertThat(outbox.claim(Claim.next("n2", Duration.ofSeconds(60)), lane, 10)).isEmpty();

        outbox.markSent(((Number) rows.get(0).get("id")).longValue(), (UUID) rows.get(0).get("claim_token"));
        List<Map<String, Object>> next = outbox.claim(Claim.next("n2", Duration.ofSeconds(60)), lane, 10);
        assertThat(next).hasSize(1);
        assertThat(next.get(0).get("kind")).isEqualTo("UPDATE");
        assertThat(next.get(0).get("version")).isEqualTo(2);
    }

    /**
     * V120: a claim sets only the claim columns and finds room on its row's page, so PostgreSQL writes
     * the claimed version in place (HOT) and adds no entry to any index. Counted in this transaction
     * only ({@code pg_stat_xact_user_tables}). Rows of about 1 KB, as in the benchmark: at the default
     * fillfactor every page but the last is full, and nearly every claim would be a plain update.
     */
    @Test
    void aClaimUpdatesItsRowInPlaceWithoutTouchingTheIndexes() {
        String lane = lane();
        String payload = "{\"text\":\"" + "x".repeat(1000) + "\"}";
        int rows = 40;
        long[] counts = tx.execute(s -> {
            for (int i = 0; i < rows; i++) {
                outbox.enqueue(ticket(), lane, payload);
            }
            long[] before = updates();
            assertThat(outbox.claim(Claim.next("n", Duration.ofSeconds(60)), lane, rows)).hasSize(rows);
            long[] after = updates();
            return new long[] {after[0] - before[0], after[1] - before[1]};
        });
        assertThat(counts[0]).as("updates").isEqualTo(rows);
        assertThat(counts[1]).as("claims written in place").isGreaterThanOrEqualTo(rows * 9 / 10);
    }

    /**
     * Settling a few claimed rows reads them by primary key, even while the partial index of pending
     * rows holds many more entries than the statistics know of: as under load, between autovacuums,
     * when it still holds the entries of rows settled since. A settle that tested {@code state =
     * 'PENDING'} was planned as a hash join over that whole index (ClaimedRows says what it cost).
     */
    @Test
    void aSettleFindsItsRowsByPrimaryKeyWhenThePendingIndexHoldsMoreThanTheStatisticsKnow() {
        String lane = lane();
        String plan = planAfterABurst("forward_outbox",
                "INSERT INTO forward_outbox (ticket_id, backend, payload, state) SELECT ?, ? || '-old', '{}', 'SENT' FROM generate_series(1, 3000)",
                "INSERT INTO forward_outbox (ticket_id, backend, payload) SELECT ?, ?, '{}' FROM generate_series(1, 3000)",
                new Object[] {ticket(), lane}, () -> {
                    List<Long> ids = jdbc.queryForList("SELECT id FROM forward_outbox WHERE backend = ? ORDER BY id LIMIT 8", Long.class, lane);
                    return explain(new ClaimedRows(jdbc, tx, "forward_outbox").settleManyStatement("state = 'SENT'"), ids.toArray(Long[]::new),
                            ids.stream().map(i -> UUID.randomUUID()).toArray(UUID[]::new), new String[ids.size()]);
                });
        assertThat(plan).contains("forward_outbox_pkey").doesNotContain("forward_outbox_pending").doesNotContain("forward_outbox_due");
    }

    /** The same for acknowledging deliveries, while the index of unacknowledged rows holds more than the statistics know. */
    @Test
    void anAcknowledgementFindsItsRowsByPrimaryKeyWhenTheUnacknowledgedIndexHoldsMoreThanTheStatisticsKnow() {
        String lane = lane();
        String ticket = ticket();
        String plan = planAfterABurst("ticket_backend",
                "INSERT INTO ticket_backend (ticket_id, backend, acked_at) SELECT ?, ? || '-old' || n, now() FROM generate_series(1, 3000) AS n",
                "INSERT INTO ticket_backend (ticket_id, backend) SELECT ?, ? || n FROM generate_series(1, 3000) AS n",
                new Object[] {ticket, lane}, () -> explain(TicketBackendStore.ACKNOWLEDGE_ALL,
                        java.util.Collections.nCopies(8, ticket).toArray(String[]::new),
                        java.util.stream.IntStream.rangeClosed(1, 8).mapToObj(n -> lane + n).toArray(String[]::new)));
        assertThat(plan).contains("ticket_backend_pkey").doesNotContain("ticket_backend_unacked");
    }

    /**
     * {@code plan}'s answer (an EXPLAIN) after a burst, as in production between autovacuums: the
     * {@code settled} rows, which ANALYZE then counts, and the {@code burst} rows, which the statistics have
     * not seen (both inserts take {@code rowArgs}). All rolled back.
     */
    private String planAfterABurst(String table, String settled, String burst, Object[] rowArgs, java.util.function.Supplier<String> plan) {
        return tx.execute(s -> {
            jdbc.update(settled, rowArgs);
            jdbc.execute("ANALYZE " + table);
            jdbc.update(burst, rowArgs);
            String p = plan.get();
            s.setRollbackOnly();
            return p;
        });
    }

    private String explain(String sql, Object... args) {
        return String.join("\n", jdbc.queryForList("EXPLAIN " + sql, String.class, args));
    }

    /**
     * This connection's counts of forward outbox updates, plain and HOT, not yet reported to the
     * statistics: since PostgreSQL 15 they may include the connection's last transactions, so only a
     * difference taken within one transaction counts that transaction alone.
     */
    private long[] updates() {
        return jdbc.query("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = 'forward_outbox'",
                rs -> rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : new long[2]);
    }

    private static String lane() {
        return "claim-test-" + UUID.randomUUID();
    }

    /** A ticket row for outbox rows to belong to (the outbox references its ticket). */
    private String ticket() {
        String id = TicketIds.next();
        ObjectNode t = Json.object();
        t.put("ticketId", id);
        t.put("status", "RECEIVED");
        t.put("createdAt", "2026-11-30T00:00:00Z");
        t.put("updatedAt", "2026-11-30T00:00:00Z");
        tickets.insert(t);
        return id;
    }
}
