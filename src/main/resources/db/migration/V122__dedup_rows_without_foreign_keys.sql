-- Near duplicates (issue 11, docs/dedup.md "Speed"): an index entry's LSH bucket and key rows are written in the same
-- statement as the entry (DedupIndex.addAll) and deleted in the same statement as it (the retention purge,
-- RetentionStore.Kind.DEDUP_INDEX), so the foreign keys only cost: one referential check per row, some 19 per
-- report, which took a tenth of the index writes' time under load. The look-up joins the entries, so a row
-- whose entry were missing would find nothing.
ALTER TABLE dedup_band DROP CONSTRAINT IF EXISTS dedup_band_entry_id_fkey;
ALTER TABLE dedup_key DROP CONSTRAINT IF EXISTS dedup_key_entry_id_fkey;
