-- Account recovery: verified emails, single-use mailed tokens, a durable mail outbox, and
-- erasure of deleted accounts (docs/decisions/0018).

-- +goose Up
ALTER TABLE users
    ADD COLUMN email_verified_at timestamptz,
    ADD COLUMN deleted_at        timestamptz;

-- Tokens mailed to a user (verify an address, reset a password, confirm a new address), by hash
-- only: a database leak gives no working link. Single use (used_at), bound to one purpose, and
-- an email change carries the address it confirms.
CREATE TABLE account_tokens (
    token_hash bytea       PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    text        NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'change_email')),
    email      text        NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);

CREATE INDEX account_tokens_user_id_idx ON account_tokens (user_id, purpose);

-- Mail is written here in the transaction that causes it and sent by a background worker
-- (Services/Mail/OutboxSender): a crash or an SMTP outage delays mail, never loses it. A row is
-- leased while one replica sends it; the body is cleared once sent, so links do not linger.
CREATE TABLE mail_outbox (
    id              uuid        PRIMARY KEY,
    recipient       text        NOT NULL,
    subject         text        NOT NULL,
    text_body       text,
    html_body       text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    leased_until    timestamptz,
    sent_at         timestamptz,
    failed_at       timestamptz,
    last_error      text
);

CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- +goose Down
DROP TABLE mail_outbox;
DROP TABLE account_tokens;
ALTER TABLE users DROP COLUMN deleted_at, DROP COLUMN email_verified_at;
