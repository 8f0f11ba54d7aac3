-- Attribution peer for bench/unread.sh: the list before issue 17 (rooms_list_pre17.sql) plus only
-- the two read-state columns of today's list (LastReadSeq, UnreadCount derived from
-- rooms.last_seq - room_members.last_read_seq); no kind filter, no direct-message peer join. Not a
-- query Lobby runs: it splits today's cost over the pre-17 list into read state and the rest.
SELECT r.id AS Id, r.name AS Name, r.topic AS Topic, r.visibility AS Visibility, r.owner_id AS OwnerId,
    r.last_seq AS LastSeq, r.created_at AS CreatedAt, r.updated_at AS UpdatedAt, m.role AS MyRole,
    r.access_version AS AccessVersion, coalesce(m.last_read_seq, 0) AS LastReadSeq,
    CASE WHEN m.user_id IS NULL THEN 0 ELSE greatest(r.last_seq - m.last_read_seq, 0) END AS UnreadCount
FROM rooms r LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = :user::uuid
WHERE (r.visibility = 'public' OR m.user_id IS NOT NULL)
  AND (NOT :mine OR m.user_id IS NOT NULL)
  AND (NULL::uuid IS NULL OR r.id < NULL::uuid)
  AND lower(r.name) LIKE :prefix ESCAPE '\'
ORDER BY r.id DESC
LIMIT :take;
