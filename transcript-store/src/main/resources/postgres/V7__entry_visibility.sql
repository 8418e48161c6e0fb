-- Who may read an entry: 'All' (everyone, the default) or 'Int' (agents and supervisors only:
-- consult lines between agents, never shown to the customer). docs/ucs.md.
ALTER TABLE chat_entries ADD COLUMN visibility text;
ALTER TABLE interaction_entries ADD COLUMN visibility text NOT NULL DEFAULT 'All';
