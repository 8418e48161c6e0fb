-- Contact history: the statistics of each chat (dev.hachat.store.ChatStatistics, computed by the
-- instance that writes the final transcript) and each participant's part in it. NULL in rows
-- written before this migration (and by instances of earlier versions during an upgrade).
ALTER TABLE interactions
  ADD COLUMN queue_wait_ms      bigint,   -- creation to the first agent's join; NULL: no agent
  ADD COLUMN time_to_answer_ms  bigint,   -- first agent's join to an agent's first message
  ADD COLUMN agents             integer,  -- agents who took part
  ADD COLUMN transfers          integer,  -- agent leaves with reason TRANSFERRED_OUT
  ADD COLUMN restores           integer,  -- restore notices (interruption or hand-over)
  ADD COLUMN offers             integer,  -- user data hachat.offers (0 if absent)
  ADD COLUMN rejects            integer;  -- user data hachat.rejects (0 if absent)

ALTER TABLE interaction_participants
  ADD COLUMN agent_id      text,         -- the agent's login id (agents only)
  ADD COLUMN left_at       timestamptz,  -- its leave, or the close if it was still there
  ADD COLUMN leave_reason  text,         -- a reason code (ReasonCode), or the close reason
  ADD COLUMN handle_ms     bigint;       -- agents: left_at - joined_at

CREATE INDEX interaction_participants_by_agent ON interaction_participants (agent_id, joined_at)
  WHERE agent_id IS NOT NULL;
