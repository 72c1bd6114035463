-- Each entry's MinHash signature in 64 x 16 bits (MinHash.sketch): the look-up returns it instead of the
-- texts, and only candidates whose sketch agrees enough with the new report's, or that share its text or
-- requester, are read whole and checked (docs/dedup.md "The candidate index"). Entries stored before
-- have none and are always read whole.
ALTER TABLE dedup_entry ADD COLUMN sketch bytea;
