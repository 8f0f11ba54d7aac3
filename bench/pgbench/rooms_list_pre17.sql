-- GET /api/v1/rooms?mine=true&limit=50 before issue 17 (RoomQueries.List at commit 2ce1e5f, "today's
-- room list" without read state): the same rooms and order, no unread columns, no kind filter or DM
-- peer join. Runs unchanged on the current schema; parameters as in rooms_list.sql.
SELECT r.id AS Id, r.name AS Name, r.topic AS Topic, r.visibility AS Visibility, r.owner_id AS OwnerId,
    r.last_seq AS LastSeq, r.created_at AS CreatedAt, r.updated_at AS UpdatedAt, m.role AS MyRole,
    r.access_version AS AccessVersion
FROM rooms r LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = :user::uuid
WHERE (r.visibility = 'public' OR m.user_id IS NOT NULL)
  AND (NOT :mine OR m.user_id IS NOT NULL)
  AND (NULL::uuid IS NULL OR r.id < NULL::uuid)
  AND lower(r.name) LIKE :prefix ESCAPE '\'
ORDER BY r.id DESC
LIMIT :take;
