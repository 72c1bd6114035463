package city.hotline.hub.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import city.hotline.hub.intake.InboxFailures;
import city.hotline.hub.store.TicketStore;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A batch looks its items up before it takes the index lock, then catches up under it (docs/dedup.md
 * "Concurrency"). These tests make another transaction change the index exactly between the two: it holds
 * the lock while the batch looks up, changes the index, and commits only once the batch waits for the
 * lock. The batch's decision must still see the change, as if it had looked up under the lock.
 */
class IndexLockCatchUpTest extends DedupIntegrationTest {

    private static final Instant AT = Instant.parse("2026-11-26T09:00:00Z");

    @Autowired
    NearDuplicates nearDuplicates;
    @Autowired
    DedupIndex index;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aNearDuplicateStoredWhileTheBatchWaitsForTheLockIsMergedInto() throws Exception {
        String tag = tag();
        String text = "金桥路" + tag + "号的垃圾站一直不清运，臭味很大，夏天苍蝇很多，请环卫部门尽快处理。";

        NearDuplicates.Plan plan = planWhileAnotherHolds(draft(tag + "-new", text + "谢谢！"),
                holder -> index.addAll(List.of(entry("T-stored-" + tag, tag + "-stored", text))));

        assertThat(plan.merges()).as("the report stored after the look-up, found under the lock").hasSize(1);
        assertThat(plan.merges().get(0).ticketId()).isEqualTo("T-stored-" + tag);
        assertThat(plan.fresh()).isEmpty();
    }

    @Test
    void anEntryMovedByASplitWhileTheBatchWaitsIsMergedIntoTheTicketThatHoldsItNow() throws Exception {
        String tag = tag();
        String text = "南湖路" + tag + "号的小吃店油烟直排进居民楼，窗户都不敢开，多次反映没有结果。";
        tx.executeWithoutResult(s -> index.addAll(List.of(entry("T-before-" + tag, tag + "-stored", text))));

        NearDuplicates.Plan plan = planWhileAnotherHolds(draft(tag + "-new", text + "请尽快处理！"),
                holder -> index.moveEntry(new TicketStore.OriginKey("webform", "default", tag + "-stored"), "T-after-" + tag));

        assertThat(plan.merges()).hasSize(1);
        assertThat(plan.merges().get(0).ticketId()).as("the ticket the entry points at once the lock is taken").isEqualTo("T-after-" + tag);
    }

    @Test
    void aBatchThatWaitedWhileMoreThanItCatchesUpWereStoredLooksItselfUpAgain() throws Exception {
        String tag = tag();
        String text = "枫林路" + tag + "号的工地夜间施工到凌晨两点，噪音扰民，附近居民无法休息，请城管夜查。";
        List<DedupIndex.Entry> others = new java.util.ArrayList<>();
        for (int i = 0; i <= NearDuplicates.MAX_CATCH_UP; i++) {
            others.add(entry("T-other-" + tag + "-" + i, tag + "-other-" + i, UUID.randomUUID() + " " + UUID.randomUUID()));
        }
        others.add(entry("T-stored-" + tag, tag + "-stored", text));

        NearDuplicates.Plan plan = planWhileAnotherHolds(draft(tag + "-new", text + "谢谢！"), holder -> index.addAll(others));

        assertThat(plan.merges()).as("found by looking up again under the lock").hasSize(1);
        assertThat(plan.merges().get(0).ticketId()).isEqualTo("T-stored-" + tag);
    }

    @Test
    void aTicketStoredBeforeTheLockIsTakenBackWhenUnderItTheReportTurnsOutToDuplicateOneStoredMeanwhile() throws Exception {
        String tag = tag();
        String text = "银杏路" + tag + "号的路灯坏了半个月，晚上一片漆黑，老人孩子出门很不安全，请有关部门尽快修理。";
        String first = "wf-first-" + tag;
        String again = "wf-again-" + tag;
        postForm(first, text, "2026/11/20 09:00:00");
        String ticketId = await().atMost(Duration.ofSeconds(30)).until(() -> ticketFor("webform", first), t -> t != null).get("ticketId").asText();
        // the first report's index entry is taken out, and stored again by a transaction that holds the lock
        // until the second report's batch has looked up (finding nothing), stored its new ticket and waits
        Report stored = new Report(TextNormaliser.withBreaks(text), "", null, Instant.parse("2026-11-20T01:00:00Z"), Set.of());
        jdbc.update("DELETE FROM dedup_band b USING dedup_entry e WHERE e.channel_item_id = ? AND b.entry_id = e.id", first);
        jdbc.update("DELETE FROM dedup_key k USING dedup_entry e WHERE e.channel_item_id = ? AND k.entry_id = e.id", first);
        jdbc.update("DELETE FROM dedup_entry WHERE channel_item_id = ?", first);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = holdTheLock(() -> index.addAll(List.of(
                new DedupIndex.Entry(ticketId, new TicketStore.OriginKey("webform", "default", first), stored, stored.buckets(), null))), release);

        postForm(again, text + "还是没有修！", "2026/11/20 15:00:00");
        await("the batch stored its new ticket, then waits for the lock").atMost(Duration.ofSeconds(30))
                .until(() -> jdbc.queryForObject("""
                        SELECT count(*) FROM pg_locks w JOIN pg_locks t ON t.pid = w.pid
                        WHERE w.locktype = 'advisory' AND NOT w.granted AND t.relation = 'ticket'::regclass AND t.mode = 'RowExclusiveLock'""",
                        Integer.class) > 0);
        release.countDown();
        holder.get(30, TimeUnit.SECONDS);

        JsonNode merged = await().atMost(Duration.ofSeconds(30)).until(() -> ticketFor("webform", again), t -> t != null);
        assertThat(merged.get("ticketId").asText()).as("merged into the ticket stored meanwhile").isEqualTo(ticketId);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ticket WHERE body::text LIKE ?", Integer.class, "%" + again + "%"))
                .as("the ticket stored before the lock is gone: only the first ticket names the item").isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM inbox WHERE channel_item_id = ? AND state = 'DONE' AND ticket_id = ?", Integer.class,
                again, ticketId)).isEqualTo(1);
        assertThat(jdbc.queryForList("SELECT ticket_id FROM dedup_entry WHERE channel_item_id = ?", String.class, again))
                .as("its index entry, written after going back to the savepoint, points at the ticket it joined").containsExactly(ticketId);
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM forward_outbox f JOIN ticket t ON t.ticket_id = f.ticket_id
                WHERE f.kind = 'CREATE' AND t.ticket_id <> ? AND t.body::text LIKE ?""", Integer.class, ticketId, "%" + tag + "%"))
                .as("no creation was queued for it").isZero();
    }

    private void postForm(String externalId, String content, String submittedAt) {
        java.net.http.HttpResponse<String> r = postJson("/api/v1/intake/webform",
                Json.write(java.util.Map.of("externalId", externalId, "content", content, "submittedAt", submittedAt)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    /**
     * Runs {@code change} in a transaction that holds the index lock, starts planning {@code draft} in another
     * (rolled back afterwards, so it leaves nothing behind), and commits the change only once the planning
     * waits for the lock, i.e. after its look-up.
     */
    private NearDuplicates.Plan planWhileAnotherHolds(TicketDraft draft, Consumer<Void> change) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = holdTheLock(() -> change.accept(null), release);
        CompletableFuture<NearDuplicates.Plan> planning = CompletableFuture.supplyAsync(() -> tx.execute(s -> {
            s.setRollbackOnly();
            return nearDuplicates.plan(List.of(draft));
        }));
        await().atMost(Duration.ofSeconds(30)).until(() -> waitingForAdvisoryLock() > 0);
        release.countDown();
        holder.get(30, TimeUnit.SECONDS);
        return planning.get(30, TimeUnit.SECONDS);
    }

    /**
     * Runs {@code change} in a transaction that takes the index lock first and holds it until {@code release}
     * counts down; returns once the change is made (the transaction still open), with the transaction's end.
     */
    private CompletableFuture<Void> holdTheLock(Runnable change, CountDownLatch release) throws InterruptedException {
        CountDownLatch locked = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> tx.executeWithoutResult(s -> {
            index.lock();
            change.run();
            locked.countDown();
            try {
                assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }));
        assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
        return holder;
    }

    private int waitingForAdvisoryLock() {
        return jdbc.queryForObject("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", Integer.class);
    }

    private static TicketDraft draft(String itemId, String content) {
        ObjectNode ticket = Json.readObject("""
                {"ticketId": "T-draft-%s", "content": "%s",
                 "origins": [{"channel": "webform", "client": "default", "channelItemId": "%s", "receivedAt": "%s"}]}"""
                .formatted(itemId, content, itemId, AT.plusSeconds(3600)));
        return new TicketDraft(new InboxFailures.Item(-1L, UUID.randomUUID(), 0, "webform", itemId, "T-draft-" + itemId, null), ticket);
    }

    private static DedupIndex.Entry entry(String ticketId, String itemId, String content) {
        Report r = new Report(TextNormaliser.withBreaks(content), "", null, AT, Set.of());
        return new DedupIndex.Entry(ticketId, new TicketStore.OriginKey("webform", "default", itemId), r, r.buckets(), null);
    }

    private static String tag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
