-- Rooms, their members and messages.

-- +goose Up
CREATE TABLE rooms (
    id         uuid        PRIMARY KEY,
    name       text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
    topic      text        NOT NULL DEFAULT '' CHECK (char_length(topic) <= 500),
    visibility text        NOT NULL CHECK (visibility IN ('public', 'private')),
    owner_id   uuid        NOT NULL REFERENCES users (id),
    -- The room's message counter: bumped in the transaction that inserts a message, so the row
    -- lock orders writers and a rolled-back insert gives its number back. No gaps, no duplicates.
    last_seq   bigint      NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX rooms_name_prefix_idx ON rooms (lower(name) text_pattern_ops);
CREATE INDEX rooms_public_id_idx ON rooms (id) WHERE visibility = 'public';

CREATE TABLE room_members (
    room_id   uuid        NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id   uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role      text        NOT NULL CHECK (role IN ('owner', 'member')),
    joined_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room_id, user_id)
);

CREATE INDEX room_members_user_id_idx ON room_members (user_id, room_id);

CREATE TABLE messages (
    id              uuid        PRIMARY KEY,
    room_id         uuid        NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seq             bigint      NOT NULL,
    author_id       uuid        NOT NULL REFERENCES users (id),
    -- NULL once deleted: the tombstone keeps its seq so clients see no gap.
    body            text        CHECK (char_length(body) BETWEEN 1 AND 4000),
    idempotency_key text        CHECK (char_length(idempotency_key) BETWEEN 1 AND 200),
    created_at      timestamptz NOT NULL DEFAULT now(),
    edited_at       timestamptz,
    deleted_at      timestamptz,
    CONSTRAINT messages_room_seq_key UNIQUE (room_id, seq)
);

-- A retried POST with the same Idempotency-Key from the same author in the same room finds the original.
CREATE UNIQUE INDEX messages_idempotency_key ON messages (room_id, author_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

-- +goose Down
DROP TABLE messages;
DROP TABLE room_members;
DROP TABLE rooms;
