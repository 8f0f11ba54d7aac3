-- GET /api/v1/rooms/{id}/messages?limit=50: the visibility check, then the newest 50
-- (RoomQueries.SelectForUser + MessageQueries.Latest), on one connection, no transaction.
SELECT r.id, r.name, r.topic, r.visibility, r.owner_id, r.last_seq, r.created_at, r.updated_at, m.role
FROM rooms r LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = :user::uuid
WHERE r.id = :room::uuid;
SELECT id, room_id, seq, author_id, body, created_at, edited_at, deleted_at
FROM messages WHERE room_id = :room::uuid ORDER BY seq DESC LIMIT 50;
