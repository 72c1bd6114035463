package city.hotline.hub.store.claim;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What every claimed table does alike: give back an instance's old claims after its restart, and
 * change a claimed row only while the claim still holds it (and end the claim with the change).
 * The table's own store decides which rows are due and what a change sets.
 *
 * <p>A settle finds its rows by id and claim token alone, with no {@code state = 'PENDING'} test.
 * The token says it all: a claim only takes a pending row, every claim has a token of its own, and
 * every change of a claimed row's state ends the claim (clears the token) in the same statement, so
 * a row still holding the token is pending. The test would also cost much: it lets the planner read
 * the rows through a partial index of pending rows. Between autovacuums, under load, that index holds
 * thousands of entries of rows long settled, while the statistics still count a handful, so the
 * planner hashed the whole index for each settle of a few rows: 8 to 20 ms a statement where the
 * primary key takes 0.3 ms (measured on PostgreSQL 15; OutboxClaimTest holds the plan).
 */
public final class ClaimedRows {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final String table;

    public ClaimedRows(JdbcTemplate jdbc, TransactionTemplate tx, String table) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.table = table;
    }

    /**
     * Runs a store's claim statement ({@code UPDATE … WHERE id IN (SELECT … ORDER BY id LIMIT ? FOR
     * UPDATE SKIP LOCKED) RETURNING …}) and returns the claimed rows sorted by id.
     *
     * <p>Sorting is switched off for the statement: the claim must walk the table's partial index of
     * pending rows in id order and stop at the limit. Right after a burst, before autovacuum has
     * analysed the table, the planner may otherwise think it small, read every pending row, test each
     * against the ordering subquery and sort them all: measured, that made a 100,000-row backlog
     * crawl at a few dozen rows a second.
     */
    public List<java.util.Map<String, Object>> claim(String sql, Object... args) {
        List<java.util.Map<String, Object>> rows = tx.execute(s -> {
            jdbc.execute("SET LOCAL enable_sort = off");
            return new ArrayList<>(jdbc.queryForList(sql, args));
        });
        rows.sort(java.util.Comparator.comparingLong(r -> ((Number) r.get("id")).longValue()));
        return rows;
    }

    public int releaseAll(String owner) {
        return jdbc.update("UPDATE " + table + " SET claim_owner = NULL, claim_token = NULL, claim_expires_at = NULL"
                + " WHERE claim_owner = ? AND state = 'PENDING'", owner);
    }

    /**
     * {@code UPDATE <table> SET <set>, (claim ended) WHERE id = ? AND claim_token = ?}.
     *
     * @throws ClaimLost when the claim no longer holds the row (its lease ran out and it was taken over)
     */
    public void settle(long id, UUID claimToken, String set, Object... args) {
        List<Object> all = new ArrayList<>(List.of(args));
        all.add(id);
        all.add(claimToken);
        int n = jdbc.update("UPDATE " + table + " SET " + set + ", claim_owner = NULL, claim_token = NULL, claim_expires_at = NULL"
                + " WHERE id = ? AND claim_token = ?", all.toArray());
        if (n != 1) {
            throw new ClaimLost(table, id);
        }
    }

    /**
     * {@link #settle} for many rows in one statement, with one SET clause without arguments for all of
     * them (it may not name a column {@code id} or {@code token} unqualified). Rows whose claim is lost
     * are left alone; the answer is the ids whose claim still held, now settled.
     */
    public java.util.Set<Long> settleMany(String set, List<Long> ids, List<UUID> claimTokens) {
        return settleMany(set, ids, claimTokens, new String[ids.size()]);
    }

    /** {@link #settleMany} with one text value per row, which the SET clause reads as {@code k.ticket}. */
    public java.util.Set<Long> settleMany(String set, List<Long> ids, List<UUID> claimTokens, String[] tickets) {
        return new java.util.HashSet<>(jdbc.queryForList(settleManyStatement(set),
                Long.class, ids.toArray(Long[]::new), claimTokens.toArray(UUID[]::new), tickets));
    }

    /** The statement of {@link #settleMany}, with its three array parameters (for EXPLAIN). */
    public String settleManyStatement(String set) {
        return "UPDATE " + table + " t SET " + set + ", claim_owner = NULL, claim_token = NULL, claim_expires_at = NULL"
                + " FROM unnest(?::bigint[], ?::uuid[], ?::text[]) AS k(id, token, ticket)"
                + " WHERE t.id = k.id AND t.claim_token = k.token RETURNING t.id";
    }

    /** Like {@link #settle}, but a lost claim is reported as false: for giving a row back, which nobody must wait for. */
    public boolean trySettle(long id, UUID claimToken, String set, Object... args) {
        try {
            settle(id, claimToken, set, args);
            return true;
        } catch (ClaimLost e) {
            return false;
        }
    }
}
