-- Near duplicates (issue 11, docs/dedup.md "Speed"): the places found in each stored report, kept with its entry
-- (Places.encode: the place rules' version, then kind and core of each), so a candidate read back is compared
-- without searching its text again; that search was a third of the inbox workers' time with merging on.
-- primary_places (title and the content's start) are always stored, places (the whole text) only when a decision
-- needed them already. NULL, or found under other rules: the hub works them out from the texts as before.
ALTER TABLE dedup_entry ADD COLUMN places TEXT, ADD COLUMN primary_places TEXT;
