-- Live delivery checks access on every event it sends (docs/REALTIME.md). A room's access_version
-- grows whenever someone may lose sight of the room (made private, a member removed); every live
-- event carries the version it was committed under, so a connection that has seen an older
-- version re-checks its access in the database before it delivers anything newer.

-- +goose Up
ALTER TABLE rooms ADD COLUMN access_version bigint NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE rooms DROP COLUMN access_version;
