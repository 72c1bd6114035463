-- Near-duplicate index (issue 11, docs/dedup.md): one entry per stored report (an origin), pointing at
-- the ticket that holds it. Shared by every hub instance; nothing of it lives in one JVM's memory.
-- reported_at is the report's own time (origins[].receivedAt: submittedAt, the board's dateline, ...),
-- so the window is measured between the citizens' reports, not their arrivals at the hub.
CREATE TABLE dedup_entry (
    id              BIGSERIAL PRIMARY KEY,
    ticket_id       TEXT        NOT NULL,
    channel         TEXT        NOT NULL,
    client          TEXT        NOT NULL,
    channel_item_id TEXT        NOT NULL,
    fingerprint     TEXT        NOT NULL, -- sha-256 of the normalised content
    reported_at     TIMESTAMPTZ NOT NULL,
    norm_text       TEXT        NOT NULL, -- normalised content: the exact Jaccard check of a candidate
    place_text      TEXT        NOT NULL, -- normalised title and location fields: where the report says it is
    identities      TEXT[]      NOT NULL DEFAULT '{}',
    report          JSONB,                -- a merged report as it arrived: what a split turns back into its own ticket
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT dedup_entry_once UNIQUE (channel, client, channel_item_id)
);
CREATE INDEX dedup_entry_fingerprint ON dedup_entry (fingerprint, reported_at);
CREATE INDEX dedup_entry_ticket ON dedup_entry (ticket_id);

-- MinHash LSH: 16 bands of 4 minimum hashes each; bucket = hash(band number, the band's 4 values).
-- Two reports with an estimated Jaccard similarity s share a bucket with probability 1-(1-s^4)^16.
-- reported_at is repeated here so one index range scan answers "this bucket, inside the window".
CREATE TABLE dedup_band (
    bucket      BIGINT      NOT NULL,
    reported_at TIMESTAMPTZ NOT NULL,
    entry_id    BIGINT      NOT NULL REFERENCES dedup_entry (id) ON DELETE CASCADE
);
CREATE INDEX dedup_band_bucket ON dedup_band (bucket, reported_at);
CREATE INDEX dedup_band_entry ON dedup_band (entry_id);

-- Other keys that make a stored report a candidate even when the wording changed a lot: the requester
-- ("phone:+86...", "user:weixin:<openid>") and the specific places it names first ("place:锦绣小区").
-- The decision still needs textual similarity (and, for these, the same place).
CREATE TABLE dedup_key (
    key         TEXT        NOT NULL,
    reported_at TIMESTAMPTZ NOT NULL,
    entry_id    BIGINT      NOT NULL REFERENCES dedup_entry (id) ON DELETE CASCADE
);
CREATE INDEX dedup_key_key ON dedup_key (key, reported_at);
CREATE INDEX dedup_key_entry ON dedup_key (entry_id);
