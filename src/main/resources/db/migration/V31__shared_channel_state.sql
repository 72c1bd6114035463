-- Channel state every hub instance must agree on (several instances share this database).

-- Access tokens of channel accounts: WeChat's (cached until shortly before expiry, refreshed by one
-- instance at a time under an advisory lock) and Weibo's (from configuration, replaceable at run time).
-- The token is a secret: it is never logged and never selected by the API.
CREATE TABLE channel_token (
    channel           TEXT        NOT NULL,     -- 'weixin', 'weibo'
    account           TEXT        NOT NULL,     -- WeChat AppID (with its API base URL); Weibo 'default'
    token             TEXT        NOT NULL,
    expires_at        TIMESTAMPTZ,              -- null: no known expiry (Weibo)
    configured_sha256 TEXT,                     -- Weibo: the configured token this row started from
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (channel, account)
);

-- Holds and pauses of a channel account: WeChat quota holds (45011 until the next minute, 45009 until
-- the next day), refused credentials (WeChat) and re-authorisation needed (Weibo: polling stops).
-- Per-source back-off and rate-limit pauses of the pollers live in poll_cursor.
CREATE TABLE channel_hold (
    channel TEXT        NOT NULL,
    account TEXT        NOT NULL,
    kind    TEXT        NOT NULL,               -- QUOTA, CREDENTIALS, REAUTHORISE
    code    INT,                                -- the channel's error code, if any
    reason  TEXT        NOT NULL,
    since   TIMESTAMPTZ NOT NULL,
    until   TIMESTAMPTZ,                        -- null: until cleared
    PRIMARY KEY (channel, account, kind)
);
