package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import city.hotline.hub.dedup.MinHash;
import city.hotline.hub.dedup.TextNormaliser;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The index's signatures change family (docs/dedup.md "One hash per 3-gram"): one hash per 3-gram into
 * {@value MinHash#HASHES} bins instead of {@value MinHash#HASHES} hashes per 3-gram, and {@value MinHash#BANDS}
 * bands of {@value MinHash#ROWS}. Buckets and sketches stored before would share nothing with a new report's,
 * so every entry's are worked out again from its stored text, by the hub's own {@link MinHash}, and the bucket
 * rows are written anew. Written in Java because the hashes are: SQL cannot compute them.
 */
public class V125__dedup_one_permutation_minhash extends BaseJavaMigration {

    /** Entries read, worked out and written per round: bounded memory whatever the size of the index. */
    private static final int PAGE = 1000;

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("TRUNCATE dedup_band");
        }
        try (PreparedStatement read = c.prepareStatement(
                "SELECT id, norm_text, reported_at FROM dedup_entry WHERE id > ? ORDER BY id LIMIT " + PAGE);
             PreparedStatement entry = c.prepareStatement("""
                     UPDATE dedup_entry e SET sketch = decode(t.sketch, 'hex'), buckets = string_to_array(t.buckets, ',')::bigint[]
                     FROM unnest(?::bigint[], ?::text[], ?::text[]) AS t(id, sketch, buckets) WHERE e.id = t.id""");
             PreparedStatement bands = c.prepareStatement("""
                     INSERT INTO dedup_band (bucket, reported_at, entry_id)
                     SELECT unnest(string_to_array(t.buckets, ',')::bigint[]), t.reported_at, t.id
                     FROM unnest(?::bigint[], ?::text[], ?::text[]::timestamptz[]) AS t(id, buckets, reported_at)""")) {
            long after = 0;
            while (true) {
                read.setLong(1, after);
                List<Long> ids = new ArrayList<>();
                List<String> sketches = new ArrayList<>();
                List<String> buckets = new ArrayList<>();
                List<String> times = new ArrayList<>();
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        long[] signature = MinHash.signature(TextNormaliser.withoutBreaks(rs.getString(2)));
                        ids.add(rs.getLong(1));
                        sketches.add(java.util.HexFormat.of().formatHex(MinHash.sketch(signature)));
                        buckets.add(java.util.Arrays.stream(MinHash.buckets(signature)).mapToObj(Long::toString)
                                .collect(java.util.stream.Collectors.joining(",")));
                        times.add(rs.getString(3));
                    }
                }
                if (ids.isEmpty()) {
                    return;
                }
                entry.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                entry.setArray(2, c.createArrayOf("text", sketches.toArray()));
                entry.setArray(3, c.createArrayOf("text", buckets.toArray()));
                entry.executeUpdate();
                bands.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                bands.setArray(2, c.createArrayOf("text", buckets.toArray()));
                bands.setArray(3, c.createArrayOf("text", times.toArray()));
                bands.executeUpdate();
                after = ids.get(ids.size() - 1);
            }
        }
    }
}
