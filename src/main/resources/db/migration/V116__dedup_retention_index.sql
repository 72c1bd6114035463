-- Retention of the near-duplicate index (issue 11, docs/dedup.md "Retention"): the purge deletes unmerged
-- entries older than hub.dedup.window + hub.dedup.retention-margin (by their report's own time) in batches,
-- oldest first; this partial index finds each batch without scanning the table. Merged entries (report
-- IS NOT NULL) keep what a split needs and are not purged, so they are not in it.
CREATE INDEX dedup_entry_purge ON dedup_entry (reported_at) WHERE report IS NULL;
