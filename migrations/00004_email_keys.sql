-- Emails compared by one canonical form (NFKC_Casefold, computed by the app: CredentialRules.EmailKey)
-- instead of lower(), whose result depends on the database locale and which leaves compatibility
-- spellings (fullwidth letters, ligatures, the Kelvin sign, decomposed accents) distinct.
-- `email` keeps what the user typed, for display; `email_key` is the identity.

-- +goose Up
ALTER TABLE users ADD COLUMN email_key text;

-- For printable ASCII, NFKC_Casefold is exactly ASCII lower-casing, which the C collation does the
-- same way on every server. Rows whose key another row already has (possible only where a locale's
-- lower() told them apart, e.g. Turkish dotless i) keep a NULL key except the oldest, so this never
-- fails on a database holding rows. Rows left NULL (non-ASCII, or such a duplicate) are still found
-- by the old comparison and get their key from the app at their next sign-in.
WITH keyed AS (
    SELECT id, lower(email COLLATE "C") AS key,
           row_number() OVER (PARTITION BY lower(email COLLATE "C") ORDER BY created_at, id) AS nth
    FROM users
    WHERE email ~ '^[ -~]+$'
)
UPDATE users u SET email_key = keyed.key
FROM keyed
WHERE u.id = keyed.id AND keyed.nth = 1;

CREATE UNIQUE INDEX users_email_key_key ON users (email_key);

-- +goose Down
DROP INDEX users_email_key_key;
ALTER TABLE users DROP COLUMN email_key;
