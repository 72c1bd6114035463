-- Event feed for the data platform (issue 13 point 7, docs/events.md). Triggers write one row per
-- ticket change in the same transaction as the change itself, so no change is lost and intake does
-- not wait on the broker; console.web.EventFeed publishes the rows to the Artemis topic hub.events
-- and deletes them in one transaction (at least once; the row id is the event id).
CREATE TABLE event_feed (
    id        BIGSERIAL   PRIMARY KEY,
    ticket_id TEXT        NOT NULL,
    type      TEXT        NOT NULL,
    at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    data      JSONB
);

-- every ticket event: CREATED, CONTENT_UPDATED, STATUS_APPLIED, STATUS_STALE, MERGED, ... (kinds added
-- by later features appear without a change here)
CREATE FUNCTION event_feed_ticket_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO event_feed (ticket_id, type, at, data) VALUES (NEW.ticket_id, NEW.kind, NEW.at, NEW.detail);
    RETURN NULL;
END
$$;
CREATE TRIGGER ticket_event_feed AFTER INSERT ON ticket_event
    FOR EACH ROW EXECUTE FUNCTION event_feed_ticket_event();

-- a back-end took the ticket (or its update): FORWARDED
CREATE FUNCTION event_feed_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO event_feed (ticket_id, type, data)
    VALUES (NEW.ticket_id, 'FORWARDED', jsonb_build_object('backend', NEW.backend, 'kind', NEW.kind, 'version', NEW.version,
                                                           'attempts', NEW.attempts));
    RETURN NULL;
END
$$;
CREATE TRIGGER forward_outbox_feed AFTER UPDATE OF state ON forward_outbox
    FOR EACH ROW WHEN (NEW.state = 'SENT' AND OLD.state IS DISTINCT FROM 'SENT') EXECUTE FUNCTION event_feed_forward();

-- a reply reached a citizen's channel, or failed for good: REPLY_SENT / REPLY_FAILED
CREATE FUNCTION event_feed_reply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO event_feed (ticket_id, type, data)
    SELECT NEW.ticket_id, 'REPLY_' || NEW.state,
           jsonb_build_object('deliveryId', NEW.id, 'channel', NEW.channel, 'channelItemId', o.channel_item_id,
                              'status', s.status, 'attempts', NEW.attempts, 'lastError', NEW.last_error)
    FROM ticket_origin o, status_update s WHERE o.id = NEW.origin_id AND s.id = NEW.status_update_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER reply_delivery_feed AFTER UPDATE OF state ON reply_delivery
    FOR EACH ROW WHEN (NEW.state IN ('SENT', 'FAILED') AND OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION event_feed_reply();
