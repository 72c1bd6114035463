-- Room on each page for a claimed row's new version. A claim sets only the claim columns, which no
-- index reads, so with free space on the row's page PostgreSQL updates it in place (a HOT update):
-- no new entry in each of the table's six or seven indexes, a third of the WAL a claim wrote, and no
-- dead entries left in the pending indexes for the next claim to step over. Pages are filled to half
-- by inserts; the space is reused as soon as the row's older versions are pruned.
ALTER TABLE inbox SET (fillfactor = 50);
ALTER TABLE forward_outbox SET (fillfactor = 50);
ALTER TABLE reply_delivery SET (fillfactor = 50);
