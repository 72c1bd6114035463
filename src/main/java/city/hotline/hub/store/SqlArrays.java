package city.hotline.hub.store;

import java.util.List;
import java.util.function.Function;

/**
 * Array parameters for statements that write or settle a whole batch in one go
 * ({@code INSERT ... SELECT FROM unnest(?::text[], ...)}): PostgreSQL executes such a statement once,
 * where a JDBC batch of one statement per row is executed row by row.
 */
public final class SqlArrays {

    private SqlArrays() {
    }

    /** One value per row, in the rows' order (nulls kept). */
    public static <T> String[] column(List<T> rows, Function<T, String> value) {
        String[] out = new String[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = value.apply(rows.get(i));
        }
        return out;
    }
}
