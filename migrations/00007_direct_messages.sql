-- Direct messages are rooms of kind 'dm': the same messages, seqs, read state and live delivery,
-- between exactly two people. The pair (lower id, higher id) is unique, so creating a DM for a
-- pair that has one (from either side, or twice at once) finds the existing room (ON CONFLICT).
-- A DM is always private; its name is shown as the other person's display name.

-- +goose Up
ALTER TABLE rooms
    ADD COLUMN kind text NOT NULL DEFAULT 'room' CHECK (kind IN ('room', 'dm')),
    ADD COLUMN dm_low uuid REFERENCES users (id),
    ADD COLUMN dm_high uuid REFERENCES users (id),
    ADD CONSTRAINT rooms_dm_pair_check CHECK (
        (kind = 'dm') = (dm_low IS NOT NULL AND dm_high IS NOT NULL)
        AND (dm_low IS NULL OR dm_low < dm_high)
        AND (kind <> 'dm' OR visibility = 'private'));

CREATE UNIQUE INDEX rooms_dm_pair_key ON rooms (dm_low, dm_high) WHERE kind = 'dm';

-- +goose Down
DROP INDEX rooms_dm_pair_key;
ALTER TABLE rooms DROP CONSTRAINT rooms_dm_pair_check, DROP COLUMN dm_high, DROP COLUMN dm_low, DROP COLUMN kind;
