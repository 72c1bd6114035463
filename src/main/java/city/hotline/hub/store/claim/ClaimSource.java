package city.hotline.hub.store.claim;

import java.util.List;
import java.util.Map;

/**
 * A table whose rows are work, handed out by claims. The store that owns the table writes the SQL
 * (which rows are due, in what order, which ones must wait for an earlier one); the {@code claim:}
 * consumer only asks for rows and hands them to its route.
 */
public interface ClaimSource {

    /**
     * Claims up to {@code max} due rows under {@code claim}, oldest first, skipping rows that another
     * claim holds ({@code FOR UPDATE SKIP LOCKED} plus an unexpired lease).
     *
     * @param lane a store-specific filter (the reply outbox's channel), or null for every row
     * @return the claimed rows as column maps, sorted by id
     */
    List<Map<String, Object>> claim(Claim claim, String lane, int max);

    /** Releases every claim that {@code owner} still holds: that instance restarted and holds none. */
    int releaseAll(String owner);

    /** The PostgreSQL notification channel on which a new or changed row of this table is announced. */
    String wakeChannel();
}
