-- UCS-only mode: the outbox of final transcripts (TranscriptStore closedBuckets and
-- closedSessions), the closed session rows by hour of closing time (3600000 ms, the fixed
-- ClosedSession.BUCKET_MILLIS), then by id.
CREATE INDEX chat_sessions_closed_by_bucket ON chat_sessions ((closed_at / 3600000), session_id)
  WHERE closed_reason IS NOT NULL;
