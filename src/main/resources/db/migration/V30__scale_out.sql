-- Scale-out: every outbox row is claimed before it is handled, so several threads and several hub
-- instances on one database never handle the same row at once.
--
-- A claim is a lease: claim_owner (the instance's node id), claim_token (one per claim call) and
-- claim_expires_at. A row whose lease has expired may be claimed again (its instance died); an
-- instance that restarts releases its own old claims at once. Every state change after the claim is
-- conditional on claim_token, so only the holder of the claim can mark a row DONE / SENT.

ALTER TABLE inbox
    ADD COLUMN claim_owner      TEXT,
    ADD COLUMN claim_token      UUID,
    ADD COLUMN claim_expires_at TIMESTAMPTZ,
    ADD COLUMN attempts         INT         NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    ADD COLUMN last_error       TEXT;

-- kind CREATE is POST {url}/tickets; UPDATE is PUT {url}/tickets/{ticketId} with the whole ticket.
-- version is the ticket's version the payload was taken at (Idempotency-Key <ticketId>:<version>).
ALTER TABLE forward_outbox
    ADD COLUMN claim_owner      TEXT,
    ADD COLUMN claim_token      UUID,
    ADD COLUMN claim_expires_at TIMESTAMPTZ,
    ADD COLUMN kind             TEXT        NOT NULL DEFAULT 'CREATE',
    ADD COLUMN version          INT         NOT NULL DEFAULT 1;

ALTER TABLE reply_delivery
    ADD COLUMN claim_owner      TEXT,
    ADD COLUMN claim_token      UUID,
    ADD COLUMN claim_expires_at TIMESTAMPTZ;

-- Ordering keys: an inbox row waits for earlier pending rows of the same channel item, a forward row
-- for earlier rows of the same ticket and back-end (an update never overtakes the creation), a reply
-- for earlier pending replies to the same origin (statuses arrive in order).
CREATE INDEX inbox_pending_item ON inbox (channel, channel_item_id, id) WHERE state = 'PENDING';
CREATE INDEX forward_outbox_open_ticket ON forward_outbox (ticket_id, backend, id) WHERE state IN ('PENDING', 'QUARANTINED');
CREATE INDEX forward_outbox_pending ON forward_outbox (id) WHERE state = 'PENDING';
CREATE INDEX reply_delivery_origin_pending ON reply_delivery (origin_id, id) WHERE state = 'PENDING';
CREATE INDEX reply_delivery_pending ON reply_delivery (channel, id) WHERE state = 'PENDING';

-- Wake-ups: a new row wakes its consumers on every instance at once (LISTEN hub_inbox, ...), so
-- the poll is only a fallback. One notification per statement, not per row: a batch insert wakes once.
-- Only inserts notify: a consumer wakes itself when one of its rows is settled (which may free the
-- next row of the same item, ticket or origin); notifying every state change as well cost more
-- database time than the work itself under load.
CREATE FUNCTION hub_wake() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(TG_ARGV[0], '');
    RETURN NULL;
END
$$;

CREATE TRIGGER inbox_wake AFTER INSERT ON inbox
    FOR EACH STATEMENT EXECUTE FUNCTION hub_wake('hub_inbox');
CREATE TRIGGER forward_outbox_wake AFTER INSERT ON forward_outbox
    FOR EACH STATEMENT EXECUTE FUNCTION hub_wake('hub_forward');
CREATE TRIGGER reply_delivery_wake AFTER INSERT ON reply_delivery
    FOR EACH STATEMENT EXECUTE FUNCTION hub_wake('hub_reply');
