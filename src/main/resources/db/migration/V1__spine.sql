-- Intake: every accepted delivery, stored before the 202 is sent. An identical re-delivery hits the
-- unique key and is answered with the first receipt; changed content is a new row (an update).
CREATE TABLE inbox (
    id              BIGSERIAL PRIMARY KEY,
    receipt_id      UUID        NOT NULL UNIQUE,
    channel         TEXT        NOT NULL,
    channel_item_id TEXT        NOT NULL,
    payload         TEXT        NOT NULL,
    payload_sha256  TEXT        NOT NULL,
    received_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    state           TEXT        NOT NULL DEFAULT 'PENDING', -- PENDING, DONE, QUARANTINED
    ticket_id       TEXT,
    processed_at    TIMESTAMPTZ,
    CONSTRAINT inbox_delivery_once UNIQUE (channel, channel_item_id, payload_sha256)
);
CREATE INDEX inbox_pending ON inbox (id) WHERE state = 'PENDING';

CREATE TABLE ticket (
    ticket_id  TEXT PRIMARY KEY,
    status     TEXT        NOT NULL,
    status_at  TIMESTAMPTZ,
    body       JSONB       NOT NULL,
    version    INT         NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- Exact dedup: one ticket per (channel, channel item id), enforced by the database.
CREATE TABLE ticket_origin (
    id              BIGSERIAL PRIMARY KEY,
    ticket_id       TEXT        NOT NULL REFERENCES ticket (ticket_id),
    channel         TEXT        NOT NULL,
    channel_item_id TEXT        NOT NULL,
    channel_user_id TEXT,
    reply_target    JSONB,
    received_at     TIMESTAMPTZ NOT NULL,
    CONSTRAINT ticket_origin_once UNIQUE (channel, channel_item_id)
);
CREATE INDEX ticket_origin_ticket ON ticket_origin (ticket_id);

CREATE TABLE ticket_event (
    id        BIGSERIAL PRIMARY KEY,
    ticket_id TEXT        NOT NULL REFERENCES ticket (ticket_id),
    kind      TEXT        NOT NULL, -- CREATED, CONTENT_UPDATED, STATUS_APPLIED, STATUS_STALE
    at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    detail    JSONB
);
CREATE INDEX ticket_event_ticket ON ticket_event (ticket_id);

-- Forwarding to back-ends goes through this outbox, written in the same transaction as the ticket.
CREATE TABLE forward_outbox (
    id              BIGSERIAL PRIMARY KEY,
    ticket_id       TEXT        NOT NULL REFERENCES ticket (ticket_id),
    backend         TEXT        NOT NULL,
    payload         TEXT        NOT NULL,
    state           TEXT        NOT NULL DEFAULT 'PENDING', -- PENDING, SENT, QUARANTINED
    attempts        INT         NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at         TIMESTAMPTZ
);
CREATE INDEX forward_outbox_due ON forward_outbox (next_attempt_at) WHERE state = 'PENDING';

CREATE TABLE status_update (
    id            BIGSERIAL PRIMARY KEY,
    ticket_id     TEXT        NOT NULL REFERENCES ticket (ticket_id),
    status        TEXT        NOT NULL,
    at            TIMESTAMPTZ NOT NULL,
    reply         TEXT,
    handling_unit TEXT,
    satisfaction  TEXT,
    fingerprint   TEXT        NOT NULL,
    outcome       TEXT        NOT NULL, -- APPLIED, STALE
    received_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT status_update_once UNIQUE (ticket_id, fingerprint)
);

-- Reply outbox: one row per (status change, origin); its state is the origin's delivery state.
CREATE TABLE reply_delivery (
    id               BIGSERIAL PRIMARY KEY,
    ticket_id        TEXT        NOT NULL REFERENCES ticket (ticket_id),
    status_update_id BIGINT      NOT NULL REFERENCES status_update (id),
    origin_id        BIGINT      NOT NULL REFERENCES ticket_origin (id),
    channel          TEXT        NOT NULL,
    state            TEXT        NOT NULL DEFAULT 'PENDING', -- PENDING, SENT, FAILED
    attempts         INT         NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_error       TEXT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT reply_delivery_once UNIQUE (status_update_id, origin_id)
);
CREATE INDEX reply_delivery_due ON reply_delivery (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX reply_delivery_ticket ON reply_delivery (ticket_id);

-- Anything that failed after acceptance, with its reason; replayable.
CREATE TABLE quarantine (
    id          BIGSERIAL PRIMARY KEY,
    channel     TEXT        NOT NULL,
    stage       TEXT        NOT NULL, -- MAPPING, FORWARD, STATUS
    ref_id      BIGINT,
    ticket_id   TEXT,
    reason      TEXT        NOT NULL,
    payload     TEXT,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    state       TEXT        NOT NULL DEFAULT 'OPEN', -- OPEN, REPLAYED
    replayed_at TIMESTAMPTZ
);
CREATE INDEX quarantine_open ON quarantine (id) WHERE state = 'OPEN';
