-- +goose Up
ALTER TABLE users ADD COLUMN avatar_url text;
-- keeps the migration busy so concurrent runners really overlap
SELECT pg_sleep(0.5);

-- +goose Down
ALTER TABLE users DROP COLUMN avatar_url;
