-- Replay guards shared by every hub instance (issue 8). Rows expire: a request older than the
-- 5-minute tolerance is refused by its timestamp anyway, so an id only has to be remembered for
-- as long as its timestamp could still be accepted.

-- Status webhook: each webhook-id is applied once (Standard Webhooks); a repeat is answered 200
-- and changes nothing.
CREATE TABLE status_webhook_id (
    webhook_id  TEXT        PRIMARY KEY,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX status_webhook_id_expiry ON status_webhook_id (expires_at);

-- WeChat message push: a nonce seen again within the window is accepted only as WeChat's own
-- retry of the same push (same body hash), answered as the first one was.
CREATE TABLE weixin_push_nonce (
    app_id      TEXT        NOT NULL,
    nonce       TEXT        NOT NULL,
    body_sha256 TEXT        NOT NULL,
    status      INTEGER,
    answer      TEXT,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (app_id, nonce)
);
CREATE INDEX weixin_push_nonce_expiry ON weixin_push_nonce (expires_at);

-- WeChat events (follow, menu clicks, ...): WeChat retries a push three times; each event is
-- stored and counted once, keyed on FromUserName + CreateTime + Event.
CREATE TABLE weixin_event (
    app_id      TEXT        NOT NULL,
    openid      TEXT        NOT NULL,
    create_time BIGINT      NOT NULL,
    event       TEXT        NOT NULL,
    event_key   TEXT,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (app_id, openid, create_time, event)
);
