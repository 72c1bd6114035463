-- Near-duplicate look-up, bounded and index-only (docs/dedup.md "Speed"). The look-up reads, per LSH
-- bucket and per key, only the newest rows inside the window (ORDER BY reported_at DESC LIMIT n), so
-- the indexes carry entry_id: the scan then never visits the heap (the tables are insert-only, so the
-- visibility map stays set once autovacuum has passed). A btree is read backwards as cheaply as
-- forwards; the DESC only documents the order the look-up reads.
DROP INDEX IF EXISTS dedup_band_bucket;
CREATE INDEX dedup_band_bucket ON dedup_band (bucket, reported_at DESC) INCLUDE (entry_id);

DROP INDEX IF EXISTS dedup_key_key;
CREATE INDEX dedup_key_key ON dedup_key (key, reported_at DESC) INCLUDE (entry_id);

DROP INDEX IF EXISTS dedup_entry_fingerprint;
CREATE INDEX dedup_entry_fingerprint ON dedup_entry (fingerprint, reported_at DESC) INCLUDE (id);

-- insert-only tables: let autovacuum set the visibility map often enough for index-only scans
ALTER TABLE dedup_band SET (autovacuum_vacuum_insert_scale_factor = 0.05);
ALTER TABLE dedup_key SET (autovacuum_vacuum_insert_scale_factor = 0.05);
ALTER TABLE dedup_entry SET (autovacuum_vacuum_insert_scale_factor = 0.05);
