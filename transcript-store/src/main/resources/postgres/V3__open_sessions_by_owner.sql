-- UCS-only mode: the open chats of an instance, for the orphan sweep (TranscriptStore
-- openSessionsOf): survivors page through a dead instance's open chats by id.
CREATE INDEX chat_sessions_open_by_owner ON chat_sessions (owner, session_id)
  WHERE closed_reason IS NULL;
