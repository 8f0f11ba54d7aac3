-- GET /api/v1/rooms/{id}: the room with the caller's membership role (RoomQueries.SelectForUser).
-- :room and :user come from pgbench -D; with -M prepared they are bind parameters, as in Lobby.
SELECT r.id, r.name, r.topic, r.visibility, r.owner_id, r.last_seq, r.created_at, r.updated_at, m.role
FROM rooms r LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = :user::uuid
WHERE r.id = :room::uuid;
