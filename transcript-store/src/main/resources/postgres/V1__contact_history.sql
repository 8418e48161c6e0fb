-- Contact history (UCS): the final record of every chat, written once when it ends.
CREATE TABLE interactions (
  chat_id       text PRIMARY KEY,
  subject       text NOT NULL DEFAULT '',
  user_data     jsonb NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL,
  closed_at     timestamptz NOT NULL,
  close_reason  text NOT NULL,
  entry_count   integer NOT NULL,
  written_by    text NOT NULL,
  written_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX interactions_closed_at ON interactions (closed_at);

CREATE TABLE interaction_participants (
  chat_id         text NOT NULL REFERENCES interactions ON DELETE CASCADE,
  participant_id  text NOT NULL,
  type            text NOT NULL,
  nickname        text NOT NULL,
  joined_at       timestamptz NOT NULL,
  has_left        boolean NOT NULL,
  PRIMARY KEY (chat_id, participant_id)
);

CREATE TABLE interaction_entries (
  chat_id            text NOT NULL REFERENCES interactions ON DELETE CASCADE,
  idx                bigint NOT NULL,
  type               text NOT NULL,
  participant_id     text,
  nickname           text,
  participant_type   text,
  text               text,
  utc_time           timestamptz NOT NULL,
  client_message_id  text,
  PRIMARY KEY (chat_id, idx)
);
