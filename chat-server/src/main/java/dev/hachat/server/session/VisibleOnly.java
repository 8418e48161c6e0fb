package dev.hachat.server.session;

import dev.hachat.store.CloseInfo;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.Visibility;

/**
 * A subscriber that is handed only the entries its participant may read: a customer's stream skips
 * internal (consult) lines, so the index it resumes from simply jumps over them.
 */
final class VisibleOnly implements SessionListener {
  private final ParticipantType viewer;
  private final SessionListener inner;

  private VisibleOnly(ParticipantType viewer, SessionListener inner) {
    this.viewer = viewer;
    this.inner = inner;
  }

  /** {@code inner} itself when {@code viewer} reads everything. */
  static SessionListener to(ParticipantType viewer, SessionListener inner) {
    return Visibility.INT.visibleTo(viewer) ? inner : new VisibleOnly(viewer, inner);
  }

  @Override
  public void onEntry(Session session, Entry entry) {
    Entry e = shown(entry, viewer);
    if (e != null) {
      inner.onEntry(session, e);
    }
  }

  /**
   * The entry as a participant of kind {@code viewer} that is not an agent or supervisor reads it:
   * null if internal; an agent's join without its holder tag (a hash of the agent's login id, which
   * is the instance's business only).
   */
  static Entry shown(Entry e, ParticipantType viewer) {
    if (!e.visibleTo(viewer)) {
      return null;
    }
    if (e.type() == EntryType.PARTICIPANT_JOINED && e.clientMessageId() != null) {
      return new Entry(
          e.index(),
          e.type(),
          e.participantId(),
          e.nickname(),
          e.participantType(),
          e.text(),
          e.utcTime(),
          null,
          e.visibility());
    }
    return e;
  }

  @Override
  public void onClosed(Session session, CloseInfo info) {
    inner.onClosed(session, info);
  }

  @Override
  public void onReplaced(Session session) {
    inner.onReplaced(session);
  }

  @Override
  public void onNotice(Session session, String code, String text) {
    inner.onNotice(session, code, text);
  }
}
