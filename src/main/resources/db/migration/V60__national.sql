-- National platforms (issue 10): one row per upstream case the hub has pulled (caseNo), written by
-- the poller right after the case is in the inbox. The row is the case's receipt outbox: it is
-- claimed (lease + SKIP LOCKED, like the other outboxes) once the case's ticket exists, and the
-- receipt (POST {base}/cases/{caseNo}/receipt) is retried with back-off until the province takes it.
-- state is the receipt's state (PENDING, SENT, FAILED); feedback_sent_at records the feedback report
-- (sent through the reply outbox, lane 'national'), for the deadline-near gauge and health.
CREATE TABLE national_case (
    id               BIGSERIAL PRIMARY KEY,
    case_no          TEXT        NOT NULL UNIQUE,
    first_seen_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    state            TEXT        NOT NULL DEFAULT 'PENDING',
    attempts         INT         NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_error       TEXT,
    receipt_sent_at  TIMESTAMPTZ,
    feedback_sent_at TIMESTAMPTZ,
    claim_owner      TEXT,
    claim_token      UUID,
    claim_expires_at TIMESTAMPTZ,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX national_case_receipt_pending ON national_case (id) WHERE state = 'PENDING';
CREATE INDEX national_case_feedback_open ON national_case (case_no) WHERE feedback_sent_at IS NULL;
