-- What each member has read, per room, as a message seq: unread = rooms.last_seq - last_read_seq,
-- derived from two numbers already at hand, never counted over messages, so it costs the same in a
-- room of 10 messages as in one of a million. Only ever moves forward (RoomQueries / ReadStateQueries).

-- +goose Up
ALTER TABLE room_members ADD COLUMN last_read_seq bigint NOT NULL DEFAULT 0 CHECK (last_read_seq >= 0);

-- +goose Down
ALTER TABLE room_members DROP COLUMN last_read_seq;
