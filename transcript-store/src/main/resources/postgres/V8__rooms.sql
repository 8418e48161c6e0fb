-- Persistent rooms (docs/rooms.md): the room, its hosting record (the same shape as a chat's
-- ownership: host, epoch, base index, released), its members and its whole history. Nothing
-- expires. Appends, claims and releases hold the room row's lock (SELECT ... FOR UPDATE) and
-- are conditional on the host epoch, so a stale host can never write.
CREATE TABLE rooms (
  room_id       text PRIMARY KEY,
  name          text NOT NULL,
  topic         text NOT NULL DEFAULT '',
  invite_only   boolean NOT NULL DEFAULT false,
  member_limit  integer NOT NULL,
  created_by    text NOT NULL,
  created_at    bigint NOT NULL,
  host          text NOT NULL,
  host_epoch    bigint NOT NULL,
  base_index    bigint NOT NULL DEFAULT 0,
  released      boolean NOT NULL DEFAULT false,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX rooms_by_host ON rooms (host, room_id);

CREATE TABLE room_members (
  room_id    text NOT NULL REFERENCES rooms ON DELETE CASCADE,
  member_id  text NOT NULL,
  role       text NOT NULL,
  joined_at  bigint NOT NULL,
  PRIMARY KEY (room_id, member_id)
);

CREATE INDEX room_members_by_member ON room_members (member_id, room_id);

CREATE TABLE room_entries (
  room_id            text NOT NULL REFERENCES rooms ON DELETE CASCADE,
  idx                bigint NOT NULL,
  epoch              bigint NOT NULL,
  type               text NOT NULL,
  member_id          text,
  nickname           text,
  text               text NOT NULL,
  utc_time           bigint NOT NULL,
  client_message_id  text,
  PRIMARY KEY (room_id, idx)
);
