package city.hotline.hub.store.claim;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What every claimed table does alike: give back an instance's old claims after its restart, and
 * change a claimed row only while the claim still holds it (and end the claim with the change).
 * The table's own store decides which rows are due and what a change sets.
 */
public final class ClaimedRows {

    private final JdbcTemplate jdbc;
    private final String table;

    public ClaimedRows(JdbcTemplate jdbc, String table) {
        this.jdbc = jdbc;
        this.table = table;
    }

    public int releaseAll(String owner) {
        return jdbc.update("UPDATE " + table + " SET claim_owner = NULL, claim_token = NULL, claim_expires_at = NULL"
                + " WHERE claim_owner = ? AND state = 'PENDING'", owner);
    }

    /**
     * {@code UPDATE <table> SET <set>, (claim ended) WHERE id = ? AND claim_token = ? AND state = 'PENDING'}.
     *
     * @throws ClaimLost when the claim no longer holds the row (its lease ran out and it was taken over)
     */
    public void settle(long id, UUID claimToken, String set, Object... args) {
        List<Object> all = new ArrayList<>(List.of(args));
        all.add(id);
        all.add(claimToken);
        int n = jdbc.update("UPDATE " + table + " SET " + set + ", claim_owner = NULL, claim_token = NULL, claim_expires_at = NULL"
                + " WHERE id = ? AND claim_token = ? AND state = 'PENDING'", all.toArray());
        if (n != 1) {
            throw new ClaimLost(table, id);
        }
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
