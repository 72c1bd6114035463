-- The retention purge (hub.retention.*) finds finished rows by age: one partial index per table, so each
-- batch reads only the oldest finished rows instead of scanning the table.
CREATE INDEX inbox_done_age ON inbox (processed_at) WHERE state = 'DONE';
CREATE INDEX forward_outbox_sent_age ON forward_outbox (sent_at) WHERE state = 'SENT';
CREATE INDEX reply_delivery_sent_age ON reply_delivery (updated_at) WHERE state = 'SENT';
