-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX CONCURRENTLY users_created_at_idx ON users (created_at);
CREATE INDEX CONCURRENTLY sessions_expires_at_idx ON sessions (expires_at);

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS sessions_expires_at_idx;
DROP INDEX CONCURRENTLY IF EXISTS users_created_at_idx;
