-- Each entry keeps its LSH buckets and index keys, so the retention purge deletes its bucket and key rows
-- through the look-up's own indexes (dedup_band_bucket, dedup_key_key: bucket or key, reported_at, entry_id)
-- and the two indexes by entry id go: a report then writes 16 and more index entries fewer (docs/dedup.md
-- "Retention of the index"). Entries stored before get theirs from the rows, once.
ALTER TABLE dedup_entry ADD COLUMN buckets BIGINT[], ADD COLUMN keys TEXT[];
UPDATE dedup_entry e SET
    buckets = (SELECT coalesce(array_agg(b.bucket), '{}') FROM dedup_band b WHERE b.entry_id = e.id),
    keys = (SELECT coalesce(array_agg(k.key), '{}') FROM dedup_key k WHERE k.entry_id = e.id);
DROP INDEX IF EXISTS dedup_band_entry;
DROP INDEX IF EXISTS dedup_key_entry;
