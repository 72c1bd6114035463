-- Operator console (issue 13, docs/console.md).

-- A channel paused by an operator, for every instance at once: its pollers skip their polls and its
-- reply lane sends nothing until it is resumed. Push intake keeps accepting (a citizen's message is
-- never refused); what arrives waits in the inbox and becomes a ticket as usual.
CREATE TABLE channel_pause (
    channel   TEXT        PRIMARY KEY,
    paused_by TEXT        NOT NULL,
    reason    TEXT,
    since     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Each instance says every few seconds which leader-only poll routes it is running, so the console
-- (on any instance) shows which one holds a channel's poller.
CREATE TABLE console_instance (
    node_id  TEXT        PRIMARY KEY,
    pollers  TEXT[]      NOT NULL DEFAULT '{}',
    seen_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A quarantined item discarded by an operator keeps its note (state DISCARDED, not replayable).
ALTER TABLE quarantine
    ADD COLUMN discarded_by TEXT,
    ADD COLUMN note         TEXT;

-- Reports and the dashboard read by time: arrival per channel and ticket creation.
CREATE INDEX inbox_received ON inbox (received_at);
CREATE INDEX ticket_created ON ticket (created_at);
CREATE INDEX ticket_event_at ON ticket_event (at);
CREATE INDEX status_update_ticket ON status_update (ticket_id);
CREATE INDEX forward_outbox_ticket ON forward_outbox (ticket_id);
-- the reports' merge clusters: tickets merged into another (few), found by the ticket they went into
CREATE INDEX ticket_merged_into ON ticket ((body->>'mergedInto')) WHERE (body->>'mergedInto') IS NOT NULL;
