-- Polling channels (board, weibo): one cursor row per polled source (a board forum, an HTML board,
-- a Weibo endpoint). The watermark moves only when a run has caught up with it; an unfinished run
-- keeps its paging position (run_resume) and the highest id it stored (run_high), so a restart
-- continues where it stopped: nothing is skipped, and nothing stored is fetched as new again.
CREATE TABLE poll_cursor (
    channel          TEXT        NOT NULL,
    source           TEXT        NOT NULL,             -- 'fid:146', 'html:city-board', 'statuses/mentions'
    watermark        BIGINT,                           -- highest item id of a finished run (tid / since_id)
    run_high         BIGINT,                           -- highest id stored by the unfinished run
    run_resume       TEXT,                             -- next page of the unfinished run (lastItem / max_id / URL)
    failures         INT         NOT NULL DEFAULT 0,   -- consecutive failed polls (growing back-off)
    next_poll_at     TIMESTAMPTZ,                      -- back-off or rate-limit pause: not polled before
    pause_reason     TEXT,
    last_error       TEXT,
    last_success_at  TIMESTAMPTZ,
    last_recheck_at  TIMESTAMPTZ,                      -- board: last re-check of open threads
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (channel, source)
);

-- Board threads the hub has taken in, with the board's own view of them (state, official reply):
-- threads still open (待回复 / 办理中 ...) are re-checked, and every new view of a thread is written
-- once to its ticket's history (never sent back to the board).
CREATE TABLE board_thread (
    source          TEXT        NOT NULL,
    tid             BIGINT      NOT NULL,
    channel_item_id TEXT        NOT NULL,
    open            BOOLEAN     NOT NULL,
    view            JSONB       NOT NULL,          -- {stateInfo, answerOrganization, answerContent}
    view_sha256     TEXT        NOT NULL,
    recorded_sha256 TEXT,                          -- the view already in the ticket's history
    first_seen_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (source, tid)
);
CREATE INDEX board_thread_open ON board_thread (source, tid) WHERE open;
CREATE INDEX board_thread_unrecorded ON board_thread (channel_item_id) WHERE view_sha256 IS DISTINCT FROM recorded_sha256;

-- Raw items a poller could not read are quarantined once, not on every re-fetch of the same page.
CREATE TABLE poll_rejected (
    channel       TEXT        NOT NULL,
    raw_sha256    TEXT        NOT NULL,
    quarantine_id BIGINT      NOT NULL,
    at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (channel, raw_sha256)
);
