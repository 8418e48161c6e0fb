package dev.hachat.store.impl.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/** Every statement the store uses, prepared once. */
final class Statements {
  final PreparedStatement create;
  final PreparedStatement exists;
  final PreparedStatement insertEntry;
  final PreparedStatement putParticipant;
  final PreparedStatement load;
  final PreparedStatement ownership;
  final PreparedStatement claim;
  final PreparedStatement release;
  final PreparedStatement close;
  final PreparedStatement delete;
  final PreparedStatement ownerAndClose;

  Statements(CqlSession s, String ks) {
    String t = ks + ".sessions";
    create =
        s.prepare(
            "INSERT INTO "
                + t
                + " (session_id, created_at, subject, user_data, owner, owner_epoch,"
                + " base_index, released, bases) VALUES (?, ?, ?, ?, ?, 1, 0, false, {1: 0})"
                + " IF NOT EXISTS USING TTL ?");
    exists = s.prepare("SELECT owner_epoch FROM " + t + " WHERE session_id = ? LIMIT 1");
    insertEntry =
        s.prepare(
            "INSERT INTO "
                + t
                + " (session_id, idx, epoch, type, participant_id, nickname,"
                + " participant_type, text, utc_time, client_message_id, visibility)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) USING TTL ?");
    putParticipant =
        s.prepare(
            "UPDATE "
                + t
                + " USING TTL ? SET participants[?] = ? WHERE session_id = ? IF owner_epoch = ?");
    load = s.prepare("SELECT * FROM " + t + " WHERE session_id = ?");
    ownership =
        s.prepare(
            "SELECT owner, owner_epoch, base_index, released FROM "
                + t
                + " WHERE session_id = ? LIMIT 1");
    claim =
        s.prepare(
            "UPDATE "
                + t
                + " SET owner = ?, owner_epoch = ?, base_index = ?, released = false,"
                + " bases[?] = ? WHERE session_id = ? IF owner_epoch = ?");
    release =
        s.prepare("UPDATE " + t + " SET released = true WHERE session_id = ? IF owner_epoch = ?");
    close =
        s.prepare(
            "UPDATE "
                + t
                + " SET closed_reason = ?, closed_at = ? WHERE session_id = ?"
                + " IF closed_reason = null AND owner_epoch = ?");
    delete = s.prepare("DELETE FROM " + t + " WHERE session_id = ?");
    ownerAndClose =
        s.prepare("SELECT owner, closed_at FROM " + t + " WHERE session_id = ? LIMIT 1");
  }
}
