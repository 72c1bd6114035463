-- Near duplicates (issue 11, docs/dedup.md "The merge decision"): the report's own title, normalised, so the
-- decision can merge a citizen's re-post that rewrote the letter but kept the heading. '' for reports
-- without a title (and for entries stored before this column: the title rule never fires for them).
ALTER TABLE dedup_entry ADD COLUMN title_text TEXT NOT NULL DEFAULT '';
