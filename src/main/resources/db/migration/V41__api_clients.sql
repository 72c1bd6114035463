-- API clients (issue 8, point 8): an item's key includes the client that sent it, so two clients'
-- externalId "F-1" are two items and two tickets, and no client can reach another's item.
-- Channels that do not come through the API (WeChat, boards, Weibo, ...) use the client 'default'.
ALTER TABLE inbox ADD COLUMN client TEXT NOT NULL DEFAULT 'default';
ALTER TABLE inbox DROP CONSTRAINT inbox_delivery_once;
ALTER TABLE inbox ADD CONSTRAINT inbox_delivery_once UNIQUE (channel, client, channel_item_id, payload_sha256);
DROP INDEX inbox_pending_item;
CREATE INDEX inbox_pending_item ON inbox (channel, client, channel_item_id, id) WHERE state = 'PENDING';

ALTER TABLE ticket_origin ADD COLUMN client TEXT NOT NULL DEFAULT 'default';
ALTER TABLE ticket_origin DROP CONSTRAINT ticket_origin_once;
ALTER TABLE ticket_origin ADD CONSTRAINT ticket_origin_once UNIQUE (channel, client, channel_item_id);
CREATE INDEX ticket_origin_client ON ticket_origin (client, ticket_id);
