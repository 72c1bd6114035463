-- WeChat channel: when each citizen (openid of an app) last wrote to us. Customer-service messages
-- may only be sent within 48 hours of the citizen's own message; outside it the hub uses a
-- subscribe message.
CREATE TABLE weixin_contact (
    app_id          TEXT        NOT NULL,
    openid          TEXT        NOT NULL,
    last_message_at TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (app_id, openid)
);
