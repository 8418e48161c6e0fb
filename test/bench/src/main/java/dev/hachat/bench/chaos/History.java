package dev.hachat.bench.chaos;

import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the clients of a chaos run did and saw: every send attempt, every acknowledgement (with the
 * index it carried and the instance that gave it), and every entry a party was shown while the run
 * went on. Thread-safe: clients on any thread append; the checker reads once they have stopped.
 */
public final class History {
  /** Who sent a message. */
  public enum Party {
    CUSTOMER,
    AGENT;

    /** The party of a transcript entry, or {@code null} for anyone else (system notices). */
    static Party of(Entry e) {
      if (e.participantType() == ParticipantType.CLIENT) {
        return CUSTOMER;
      }
      return e.participantType() == ParticipantType.AGENT ? AGENT : null;
    }
  }

  /** A message's identity: its chat, its sender and the sender's {@code clientMessageId}. */
  public record MessageId(String session, Party sender, String clientMessageId) {
    /** The identity of a transcript entry if it is a message, else {@code null}. */
    static MessageId of(String session, Entry e) {
      Party p = Party.of(e);
      return e.type() == EntryType.MESSAGE && p != null && e.clientMessageId() != null
          ? new MessageId(session, p, e.clientMessageId())
          : null;
    }
  }

  /** One try to send message number {@code seq} of its sender, to {@code instance}. */
  public record Attempt(MessageId message, int seq, String instance, long atMillis) {}

  /** An acknowledgement: the message is at {@code index}, said {@code instance}. */
  public record Ack(MessageId message, int seq, long index, String instance, long atMillis) {}

  /** An entry shown to {@code viewer} while the run went on. */
  public record Seen(String session, Party viewer, Entry entry) {}

  private final long startMillis = System.currentTimeMillis();
  private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
  private final Map<String, Boolean> sessions = new ConcurrentHashMap<>();

  public void session(String session) {
    sessions.put(session, Boolean.TRUE);
  }

  public void attempt(MessageId m, int seq, String instance) {
    attempts.add(new Attempt(m, seq, instance, elapsed()));
  }

  public void ack(MessageId m, int seq, long index, String instance) {
    acks.add(new Ack(m, seq, index, instance, elapsed()));
  }

  public void seen(String session, Party viewer, Entry e) {
    seen.add(new Seen(session, viewer, e));
  }

  public List<String> sessions() {
    return new ArrayList<>(sessions.keySet());
  }

  public List<Attempt> attempts() {
    return new ArrayList<>(attempts);
  }

  public List<Ack> acks() {
    return new ArrayList<>(acks);
  }

  public List<Seen> seen() {
    return new ArrayList<>(seen);
  }

  private long elapsed() {
    return System.currentTimeMillis() - startMillis;
  }
}
