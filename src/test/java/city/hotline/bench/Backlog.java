package city.hotline.bench;

import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import city.hotline.hub.ticket.Hashing;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * A backlog in the hub's inbox, as if the intake had stored K web-form items while everything after
 * it stood still: rows written with COPY in one transaction, so all K appear at the same instant.
 * The rows are what the intake API would store (same columns, same payload hash).
 */
final class Backlog {

    private Backlog() {
    }

    /** Inserts {@code count} items; answers their item ids once they are committed. */
    static List<String> load(String jdbcUrl, IntakeLoad bodies, String idPrefix, int count) throws Exception {
        List<String> ids = new ArrayList<>(count);
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            c.setAutoCommit(false);
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY inbox (receipt_id, channel, channel_item_id, payload, payload_sha256) FROM STDIN WITH (FORMAT csv)");
            StringWriter chunk = new StringWriter();
            for (int n = 0; n < count; n++) {
                String id = idPrefix + n;
                String payload = bodies.body(id, n);
                chunk.append(UUID.randomUUID().toString()).append(",webform,").append(csv(id)).append(',')
                        .append(csv(payload)).append(',').append(Hashing.sha256Hex(payload)).append('\n');
                ids.add(id);
                if (chunk.getBuffer().length() > 1 << 20 || n == count - 1) {
                    byte[] bytes = chunk.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    chunk.getBuffer().setLength(0);
                }
            }
            copy.endCopy();
            c.commit();
        }
        return ids;
    }

    private static String csv(String field) {
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
