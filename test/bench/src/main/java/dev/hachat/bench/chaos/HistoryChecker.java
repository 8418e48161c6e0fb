package dev.hachat.bench.chaos;

import dev.hachat.bench.chaos.History.Ack;
import dev.hachat.bench.chaos.History.MessageId;
import dev.hachat.bench.chaos.History.Party;
import dev.hachat.bench.chaos.History.Seen;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a chaos run's history against the final transcripts, as each party read them at the end
 * (the customer from the owner over the webapi port, the agent over ESP). Every acknowledged
 * message must be in every final view exactly once, at the index it was acknowledged with, in its
 * sender's send order; indexes run 1, 2, 3, … without gaps; both parties read the same transcript;
 * every entry a party was shown during the run is still the entry at that index; and no (session,
 * index) was acknowledged for two different messages by two different instances. Messages never
 * acknowledged may be absent or present, but never twice. Pure: no I/O, no clock.
 */
public final class HistoryChecker {
  private static final int MAX_PROBLEMS_KEPT = 50;

  /** The counts (all must be 0 but {@code acked} and {@code unacked}) and the first problems. */
  public record Verdict(
      int sessions,
      int acked,
      int unacked,
      int lost,
      int dup,
      int reordered,
      int misplaced,
      int gaps,
      int doubleOwners,
      int unstable,
      int viewsDiffer,
      List<String> problems) {

    public boolean ok() {
      return lost + dup + reordered + misplaced + gaps + doubleOwners + unstable + viewsDiffer == 0;
    }

    /** The counts as {@code key=value} pairs for the summary line. */
    public String counts() {
      return String.format(
          "sessions=%d acked=%d unacked=%d lost=%d dup=%d reordered=%d misplaced=%d gaps=%d"
              + " double_owners=%d unstable=%d views_differ=%d",
          sessions,
          acked,
          unacked,
          lost,
          dup,
          reordered,
          misplaced,
          gaps,
          doubleOwners,
          unstable,
          viewsDiffer);
    }
  }

  private final List<String> problems = new ArrayList<>();
  private int lost;
  private int dup;
  private int reordered;
  private int misplaced;
  private int gaps;
  private int doubleOwners;
  private int unstable;
  private int viewsDiffer;

  private HistoryChecker() {}

  /**
   * @param history what the clients sent, got acknowledged and were shown
   * @param finalViews per session, per party, the whole transcript that party read at the end
   */
  public static Verdict check(History history, Map<String, Map<Party, List<Entry>>> finalViews) {
    return new HistoryChecker().run(history, finalViews);
  }

  private Verdict run(History history, Map<String, Map<Party, List<Entry>>> finalViews) {
    Map<MessageId, Ack> acked = new LinkedHashMap<>();
    Map<String, Map<Long, Ack>> byIndex = new HashMap<>();
    for (Ack a : history.acks()) {
      Ack first = acked.putIfAbsent(a.message(), a);
      if (first != null && first.index() != a.index()) {
        misplaced++;
        problem("%s acknowledged at %d and at %d", a.message(), first.index(), a.index());
      }
      Ack other =
          byIndex.computeIfAbsent(a.message().session(), s -> new HashMap<>()).get(a.index());
      if (other == null) {
        byIndex.get(a.message().session()).put(a.index(), a);
      } else if (!other.message().equals(a.message())) {
        if (!other.instance().equals(a.instance())) {
          doubleOwners++;
        } else {
          misplaced++;
        }
        problem(
            "session %s index %d acknowledged for %s by %s and for %s by %s",
            a.message().session(),
            a.index(),
            other.message(),
            other.instance(),
            a.message(),
            a.instance());
      }
    }
    Set<MessageId> attempted = new HashSet<>();
    history.attempts().forEach(t -> attempted.add(t.message()));
    attempted.removeAll(acked.keySet());

    Set<String> sessions = new HashSet<>(history.sessions());
    sessions.addAll(finalViews.keySet());
    // Grouped once: filtering every ack per session took minutes for an hour-long soak.
    Map<String, List<Ack>> acksBySession = new HashMap<>();
    for (Ack a : acked.values()) {
      acksBySession.computeIfAbsent(a.message().session(), k -> new ArrayList<>()).add(a);
    }
    for (String session : sessions) {
      Map<Party, List<Entry>> views = finalViews.getOrDefault(session, Map.of());
      List<Ack> sessionAcks = acksBySession.getOrDefault(session, List.of());
      for (Party viewer : Party.values()) {
        List<Entry> view = views.get(viewer);
        if (view == null) {
          lost += sessionAcks.size();
          problem("session %s: no final transcript as the %s reads it", session, viewer);
          continue;
        }
        checkView(session, viewer, view, sessionAcks);
      }
      List<Entry> c = views.get(Party.CUSTOMER);
      List<Entry> a = views.get(Party.AGENT);
      if (c != null && a != null && !identities(c).equals(identities(a))) {
        viewsDiffer++;
        problem("session %s: the customer and the agent read different transcripts", session);
      }
    }
    checkSeen(history.seen(), finalViews);
    return new Verdict(
        sessions.size(),
        acked.size(),
        attempted.size(),
        lost,
        dup,
        reordered,
        misplaced,
        gaps,
        doubleOwners,
        unstable,
        viewsDiffer,
        List.copyOf(problems));
  }

  private void checkView(String session, Party viewer, List<Entry> view, List<Ack> acks) {
    for (int k = 0; k < view.size(); k++) {
      if (view.get(k).index() != k + 1) {
        gaps++;
        problem(
            "session %s (%s): entry %d has index %d", session, viewer, k + 1, view.get(k).index());
        break;
      }
    }
    Map<MessageId, List<Entry>> found = new HashMap<>();
    for (Entry e : view) {
      MessageId m = MessageId.of(session, e);
      if (m != null) {
        found.computeIfAbsent(m, x -> new ArrayList<>()).add(e);
      }
    }
    found.forEach(
        (m, copies) -> {
          if (copies.size() > 1) {
            dup += copies.size() - 1;
            problem("%s (%s): %d copies", m, viewer, copies.size());
          }
        });
    Map<Party, Integer> lastSeq = new HashMap<>();
    for (Ack a :
        acks.stream()
            .sorted((x, y) -> Long.compare(indexIn(found, x), indexIn(found, y)))
            .toList()) {
      List<Entry> copies = found.get(a.message());
      if (copies == null) {
        lost++;
        problem(
            "%s (%s): acknowledged at %d by %s, missing",
            a.message(), viewer, a.index(), a.instance());
        continue;
      }
      if (copies.get(0).index() != a.index()) {
        misplaced++;
        problem(
            "%s (%s): acknowledged at %d, found at %d",
            a.message(), viewer, a.index(), copies.get(0).index());
      }
      Integer before = lastSeq.put(a.message().sender(), a.seq());
      if (before != null && before > a.seq()) {
        reordered++;
        problem(
            "%s (%s): message %d stands after message %d", a.message(), viewer, a.seq(), before);
        lastSeq.put(a.message().sender(), before);
      }
    }
  }

  private static long indexIn(Map<MessageId, List<Entry>> found, Ack a) {
    List<Entry> copies = found.get(a.message());
    return copies == null ? Long.MAX_VALUE : copies.get(0).index();
  }

  /** Every entry shown during the run must still be the entry at its index. */
  private void checkSeen(List<Seen> seen, Map<String, Map<Party, List<Entry>>> finalViews) {
    Set<String> reported = new HashSet<>();
    for (Seen s : seen) {
      List<Entry> view = finalViews.getOrDefault(s.session(), Map.of()).get(s.viewer());
      if (view == null) {
        continue;
      }
      long i = s.entry().index();
      Entry now = i >= 1 && i <= view.size() ? view.get((int) i - 1) : null;
      if (now == null || !identity(now).equals(identity(s.entry()))) {
        unstable++;
        if (reported.add(s.session() + "/" + i)) {
          problem(
              "session %s (%s): was shown %s at %d, the transcript now has %s",
              s.session(),
              s.viewer(),
              identity(s.entry()),
              i,
              now == null ? "nothing" : identity(now));
        }
      }
    }
  }

  private static List<String> identities(List<Entry> view) {
    return view.stream().map(HistoryChecker::identity).toList();
  }

  /**
   * What makes two entries the same entry (not the time: a party may format it differently; not an
   * agent join's holder tag, which only agents and the contact history are given).
   */
  private static String identity(Entry e) {
    String key =
        e.type() == EntryType.PARTICIPANT_JOINED ? "" : Objects.toString(e.clientMessageId(), "");
    return e.index() + ":" + e.type() + ":" + e.participantType() + ":" + key + ":" + e.text();
  }

  private void problem(String format, Object... args) {
    if (problems.size() < MAX_PROBLEMS_KEPT) {
      problems.add(String.format(format, args));
    }
  }
}
