-- Phone channel (issue 9, docs/cti.md): the call record (CDR), recording and satisfaction parts of a
-- call, each stored (and committed) before the CTI gets its answer, then joined onto the ticket that
-- the agent's work order creates (channel 'cti', channel_item_id = the call id). A part that arrives
-- before its work order waits here (PENDING) until the ticket exists; the same part delivered again
-- hits cti_call_part_once and changes nothing.
CREATE TABLE cti_call_part (
    id                 bigserial PRIMARY KEY,
    call_id            text        NOT NULL,
    kind               text        NOT NULL,      -- CDR | RECORDING | SATISFACTION
    vendor             text        NOT NULL,
    part               jsonb       NOT NULL,      -- the normalised part (mappings/cti-*.jsonata)
    part_sha256        text        NOT NULL,
    -- PENDING: waits for its ticket; APPLIED: on the ticket; ABANDONED: a call no agent answered (counted only)
    state              text        NOT NULL DEFAULT 'PENDING',
    ticket_id          text,
    received_at        timestamptz NOT NULL DEFAULT now(),
    applied_at         timestamptz,
    -- set when a CDR without a work order was reported after hub.channels.cti.orphan-after
    orphan_reported_at timestamptz,
    attempts           integer     NOT NULL DEFAULT 0,
    next_attempt_at    timestamptz NOT NULL DEFAULT now(),
    last_error         text,
    claim_owner        text,
    claim_token        uuid,
    claim_expires_at   timestamptz,
    CONSTRAINT cti_call_part_once UNIQUE (call_id, kind, part_sha256)
);

CREATE INDEX cti_call_part_pending ON cti_call_part (call_id, id) WHERE state = 'PENDING';

-- Wake the join (claim:ctiCallParts, LISTEN hub_cti) when a part arrives and when a phone ticket is
-- created, so that parts waiting for their work order are joined at once, not at the next poll.
CREATE TRIGGER cti_call_part_wake AFTER INSERT ON cti_call_part
    FOR EACH STATEMENT EXECUTE FUNCTION hub_wake('hub_cti');

CREATE FUNCTION hub_wake_cti_origin() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.channel = 'cti' THEN
        PERFORM pg_notify('hub_cti', '');
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER ticket_origin_cti_wake AFTER INSERT ON ticket_origin
    FOR EACH ROW EXECUTE FUNCTION hub_wake_cti_origin();
