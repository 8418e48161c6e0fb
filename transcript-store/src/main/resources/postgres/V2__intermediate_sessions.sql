-- UCS-only mode: intermediate transcripts, ownership and the instance registry, for sites
-- without Cassandra. Appends and claims are conditional on the owner's epoch (row lock).
CREATE TABLE chat_sessions (
  session_id     text PRIMARY KEY,
  created_at     bigint NOT NULL,
  subject        text NOT NULL DEFAULT '',
  user_data      jsonb NOT NULL DEFAULT '{}',
  owner          text NOT NULL,
  owner_epoch    bigint NOT NULL,
  base_index     bigint NOT NULL DEFAULT 0,
  released       boolean NOT NULL DEFAULT false,
  participants   jsonb NOT NULL DEFAULT '{}',
  closed_reason  text,
  closed_at      bigint,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE chat_entries (
  session_id         text NOT NULL REFERENCES chat_sessions ON DELETE CASCADE,
  idx                bigint NOT NULL,
  epoch              bigint NOT NULL,
  type               text NOT NULL,
  participant_id     text,
  nickname           text,
  participant_type   text,
  text               text,
  utc_time           bigint NOT NULL,
  client_message_id  text,
  PRIMARY KEY (session_id, idx)
);

CREATE TABLE chat_instances (
  instance_id    text PRIMARY KEY,
  webapi         text,
  esp            text,
  admin          text,
  state          text,
  sessions       integer,
  session_limit  integer,
  heartbeat      bigint,
  started_at     bigint,
  version        text,
  updated_at     timestamptz NOT NULL DEFAULT now()
);
