-- GET /api/v1/rooms?mine=true&limit=50 since issue 17 (RoomQueries.List): the caller's rooms,
-- newest first, with read state derived from two numbers (rooms.last_seq - room_members.last_read_seq,
-- migration 00006), never counted over messages; a direct message's peer joined by primary key.
-- :user, :prefix ('%' = no name filter), :mine (true) and :take (51 = limit + 1) come from
-- pgbench -D and are bind parameters with -M prepared, as in Lobby (auto-prepared by Npgsql).
-- The first page has no cursor: Lobby binds @after as NULL; pgbench -D cannot, so NULL::uuid is written here.
SELECT r.id AS Id, CASE WHEN r.kind = 'dm' THEN coalesce(p.display_name, r.name) ELSE r.name END AS Name,
    r.topic AS Topic, r.visibility AS Visibility, r.owner_id AS OwnerId,
    r.last_seq AS LastSeq, r.created_at AS CreatedAt, r.updated_at AS UpdatedAt, m.role AS MyRole,
    r.access_version AS AccessVersion, r.kind AS Kind, coalesce(m.last_read_seq, 0) AS LastReadSeq,
    CASE WHEN m.user_id IS NULL THEN 0 ELSE greatest(r.last_seq - m.last_read_seq, 0) END AS UnreadCount,
    p.id AS PeerId, p.display_name AS PeerName
FROM rooms r
    LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = :user::uuid
    LEFT JOIN users p ON r.kind = 'dm' AND p.id = CASE WHEN r.dm_low = :user::uuid THEN r.dm_high ELSE r.dm_low END
WHERE r.kind = 'room' AND (r.visibility = 'public' OR m.user_id IS NOT NULL)
  AND (NOT :mine OR m.user_id IS NOT NULL)
  AND (NULL::uuid IS NULL OR r.id < NULL::uuid)
  AND lower(r.name) LIKE :prefix ESCAPE '\'
ORDER BY r.id DESC
LIMIT :take;
