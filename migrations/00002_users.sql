-- User search for admins and the audit trail of admin changes.

-- +goose Up
-- Prefix search on email and display name, whatever the database collation.
CREATE INDEX users_email_prefix_idx ON users (lower(email) text_pattern_ops);
CREATE INDEX users_display_name_prefix_idx ON users (lower(display_name) text_pattern_ops);

-- One row per changed field, written in the transaction that made the change.
CREATE TABLE admin_audit (
    id         uuid        PRIMARY KEY,
    actor_id   uuid        NOT NULL REFERENCES users (id),
    target_id  uuid        NOT NULL REFERENCES users (id),
    field      text        NOT NULL CHECK (field IN ('role', 'disabled')),
    old_value  text        NOT NULL,
    new_value  text        NOT NULL,
    request_id text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX admin_audit_target_id_idx ON admin_audit (target_id);

-- +goose Down
DROP TABLE admin_audit;
DROP INDEX users_display_name_prefix_idx;
DROP INDEX users_email_prefix_idx;
