package dev.hachat.systemtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the agents of a routing test saw and did on the agent API, and when each customer's chat was
 * created, all on this JVM's monotonic clock ({@link System#nanoTime()}), for {@link RoutingCheck}.
 * Thread-safe: each agent records from its connection's threads.
 */
final class RoutingHistory {
  /** What happened at an agent. */
  enum Kind {
    /** Its state is Ready (the reply to its setState, or a state event). */
    READY,
    /** Its state is NotReady or AfterCallWork (a reply or a state event). */
    NOT_READY,
    /** An offer event reached it. */
    OFFER,
    /** It sent the accept of an offer. */
    ACCEPT_SENT,
    /** The accept's reply: it joined the chat. */
    ACCEPTED,
    /** The accept's reply was an error ({@code detail}: its code). */
    ACCEPT_FAILED,
    /** It sent the reject of an offer. */
    REJECT_SENT,
    /** The reject's reply (whatever it said). */
    REJECTED,
    /** An offerRevoked event ({@code detail}: timeout, gone, offline). */
    REVOKED,
    /** A chatClosed event: the chat no longer counts against its capacity. */
    CLOSED
  }

  /** One thing at one agent; {@code chatId}, {@code offerId}, {@code detail} may be null. */
  record Event(long at, String agentId, Kind kind, String chatId, String offerId, String detail) {}

  /** A chat a customer asked for: its queue (service) and when the answer came. */
  record Arrival(String chatId, String queue, long at) {}

  /** An agent's routing profile: capacity and the queues it serves (empty: every queue). */
  record Profile(int capacity, Set<String> skills) {
    boolean serves(String queue) {
      return skills.isEmpty() || skills.contains(queue);
    }
  }

  private final List<Event> events = new ArrayList<>();
  private final Map<String, Arrival> arrivals = new ConcurrentHashMap<>();

  void record(String agentId, Kind kind, String chatId, String offerId, String detail) {
    record(new Event(System.nanoTime(), agentId, kind, chatId, offerId, detail));
  }

  void record(Event e) {
    synchronized (events) {
      events.add(e);
    }
  }

  void arrived(String chatId, String queue) {
    arrived(new Arrival(chatId, queue, System.nanoTime()));
  }

  void arrived(Arrival a) {
    arrivals.put(a.chatId(), a);
  }

  List<Event> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  Map<String, Arrival> arrivals() {
    return Map.copyOf(arrivals);
  }

  /** Events of {@code kind} so far. */
  long count(Kind kind) {
    synchronized (events) {
      return events.stream().filter(e -> e.kind() == kind).count();
    }
  }
}
