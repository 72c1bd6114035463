package city.hotline.hub.store.claim;

/**
 * A row's state change found that this claim no longer holds the row (its lease expired and another
 * claim took it over). The transaction that tried the change is rolled back, so the work is counted
 * once, by the claim that holds the row.
 */
public class ClaimLost extends RuntimeException {

    public ClaimLost(String table, long id) {
        super(table + " row " + id + " is no longer held by this claim (lease expired and taken over)");
    }
}
