-- Routing (issue 12): the back-ends each ticket was dispatched to, one row per (ticket, back-end),
-- kept after the outbox rows are purged, so an update reaches every back-end that holds the ticket.
-- Each back-end's own last status (joint dispatch keeps them apart) and its acknowledgement, for
-- stuck detection (hub.dispatch.ack-within).
CREATE TABLE ticket_backend (
    ticket_id     TEXT        NOT NULL REFERENCES ticket (ticket_id),
    backend       TEXT        NOT NULL,
    position      INT         NOT NULL DEFAULT 0, -- order in the dispatch; the first leads the ticket's status
    dispatched_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    acked_at      TIMESTAMPTZ,
    status        TEXT,
    status_at     TIMESTAMPTZ,
    PRIMARY KEY (ticket_id, backend)
);
CREATE INDEX ticket_backend_unacked ON ticket_backend (backend, dispatched_at) WHERE acked_at IS NULL;

-- tickets from before: the back-ends their outbox rows name, taken as acknowledged (not stuck)
INSERT INTO ticket_backend (ticket_id, backend, dispatched_at, acked_at)
SELECT ticket_id, backend, min(created_at), now() FROM forward_outbox GROUP BY ticket_id, backend
ON CONFLICT DO NOTHING;
