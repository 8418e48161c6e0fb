package dev.hachat.systemtest;

import dev.hachat.systemtest.RoutingHistory.Arrival;
import dev.hachat.systemtest.RoutingHistory.Event;
import dev.hachat.systemtest.RoutingHistory.Kind;
import dev.hachat.systemtest.RoutingHistory.Profile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The checker of push routing over a {@link RoutingHistory} and the customers' transcripts. It
 * proves, for every chat:
 *
 * <ol>
 *   <li>accepted exactly once: one successful accept reply, and one agent joined in the customer's
 *       transcript, the one that accepted;
 *   <li>never offered to two agents at once: per chat, the offers (from the offer event to the
 *       accept's reply, the reject being sent, or the offerRevoked event) do not overlap. An offer
 *       the agent ended itself (a reject the router took) must end before the next one reaches
 *       another agent; one the server ended (timeout, a failed accept) may seem to overlap by
 *       {@code skewMs}, as the server's messages to two agents travel on two WebSockets, each
 *       delivered in its own time on a loaded machine;
 *   <li>never waiting more than {@value #WAIT_LIMIT_MS} ms (plus {@code waitMs}) while an agent of
 *       its queue was free: Ready, no offer out (the router offers one chat at a time to an agent)
 *       and fewer chats than its capacity. The agents' states are rebuilt from their own histories,
 *       each change at the latest moment the agent could know it, so a free stretch is never longer
 *       than it was;
 *   <li>moved on after a reject or a timeout: its next offer goes to another agent, unless every
 *       agent of its queue that was free then (throughout {@code ±waitMs}) had passed it already.
 * </ol>
 *
 * Each broken rule is one line in {@link Verdict#problems()}, naming the chat and the agents.
 */
final class RoutingCheck {
  static final long WAIT_LIMIT_MS = 1000;
  private static final long NEVER = RoutedOffer.NEVER;

  /** Measurement slack, stated by the test: see the class comment. */
  record Tolerances(long waitMs, long skewMs) {}

  /** What the run did, for the test's result line. */
  record Figures(
      int chats,
      int offers,
      int accepted,
      int rejected,
      int timedOut,
      int movedOn,
      long maxWaitWhileFreeMs,
      long maxOverlapMs,
      long p50AnswerMs,
      long maxAnswerMs) {}

  record Verdict(List<String> problems, Figures figures) {
    boolean ok() {
      return problems.isEmpty();
    }
  }

  private final Map<String, Profile> agents;
  private final Tolerances tolerances;
  private final List<String> problems = new ArrayList<>();
  private Map<String, List<RoutedOffer>> offersByChat;
  private FreeTime free;
  private long maxWaitWhileFree;
  private long maxOverlap = Long.MIN_VALUE;
  private int movedOn;

  private RoutingCheck(Map<String, Profile> agents, Tolerances tolerances) {
    this.agents = agents;
    this.tolerances = tolerances;
  }

  /**
   * Checks {@code history}; {@code joined} holds, per chat, the nicknames (the agents' ids) of the
   * agents that joined it in the customer's transcript.
   */
  static Verdict check(
      RoutingHistory history,
      Map<String, Profile> agents,
      Map<String, List<String>> joined,
      Tolerances tolerances) {
    RoutingCheck c = new RoutingCheck(agents, tolerances);
    List<Event> events = new ArrayList<>(history.events());
    events.sort(Comparator.comparingLong(Event::at));
    c.offersByChat = RoutedOffer.byChat(events);
    c.free = new FreeTime(events, c.offersByChat, agents);
    Map<String, Arrival> arrivals = history.arrivals();
    Set<String> chats = new TreeSet<>(arrivals.keySet());
    chats.addAll(c.offersByChat.keySet());
    List<Long> answers = new ArrayList<>();
    for (String chatId : chats) {
      List<RoutedOffer> offers = c.offersByChat.getOrDefault(chatId, List.of());
      RoutedOffer accepted = c.acceptedOnce(chatId, offers, joined.get(chatId));
      c.overlaps(chatId, offers);
      Arrival a = arrivals.get(chatId);
      if (a == null) {
        c.problems.add(chatId + ": offered, but no customer asked for it");
        continue;
      }
      c.waits(a, offers);
      c.movesOn(a.queue(), offers);
      if (accepted != null) {
        answers.add(ms(accepted.endFree - a.at()));
      }
    }
    answers.sort(null);
    List<RoutedOffer> all = c.offersByChat.values().stream().flatMap(List::stream).toList();
    Figures f =
        new Figures(
            chats.size(),
            all.size(),
            (int) all.stream().filter(o -> o.outcome == Kind.ACCEPTED).count(),
            (int) all.stream().filter(o -> o.outcome == Kind.REJECTED).count(),
            (int) all.stream().filter(o -> o.passed() && o.outcome == Kind.REVOKED).count(),
            c.movedOn,
            c.maxWaitWhileFree,
            c.maxOverlap == Long.MIN_VALUE ? 0 : c.maxOverlap,
            answers.isEmpty() ? -1 : answers.get((answers.size() - 1) / 2),
            answers.isEmpty() ? -1 : answers.get(answers.size() - 1));
    return new Verdict(List.copyOf(c.problems), f);
  }

  private RoutedOffer acceptedOnce(
      String chatId, List<RoutedOffer> offers, List<String> joinedAgents) {
    List<RoutedOffer> accepted = offers.stream().filter(o -> o.outcome == Kind.ACCEPTED).toList();
    if (accepted.size() != 1) {
      problems.add(
          chatId
              + ": accepted "
              + accepted.size()
              + " times"
              + (accepted.isEmpty() ? "" : " (by " + agentsOf(accepted) + ")"));
    }
    List<String> inTranscript = joinedAgents == null ? List.of() : joinedAgents;
    if (inTranscript.size() != 1
        || (accepted.size() == 1 && !inTranscript.get(0).equals(accepted.get(0).agentId))) {
      problems.add(
          chatId
              + ": agents joined in the customer's transcript "
              + inTranscript
              + ", accepted by "
              + agentsOf(accepted));
    }
    return accepted.size() == 1 ? accepted.get(0) : null;
  }

  private void overlaps(String chatId, List<RoutedOffer> offers) {
    for (int i = 0; i < offers.size(); i++) {
      for (int j = i + 1; j < offers.size(); j++) {
        RoutedOffer a = offers.get(i);
        RoutedOffer b = offers.get(j); // b.start >= a.start
        long overlapNanos = a.endOverlap == NEVER ? NEVER : a.endOverlap - b.start;
        long overlap = overlapNanos == NEVER ? NEVER : ms(overlapNanos);
        maxOverlap = Math.max(maxOverlap, overlap);
        boolean endedByAgent = a.outcome == Kind.REJECTED && a.reason == null;
        long allowed = endedByAgent ? 0 : TimeUnit.MILLISECONDS.toNanos(tolerances.skewMs());
        if (overlapNanos > allowed) {
          problems.add(
              chatId
                  + ": offered to "
                  + b.agentId
                  + " while its offer to "
                  + a.agentId
                  + " was out ("
                  + (overlap == NEVER ? "never ended" : ms(overlapNanos) + " ms")
                  + " at once)");
        }
      }
    }
  }

  // ---- waiting -----------------------------------------------------------------------------

  private void waits(Arrival a, List<RoutedOffer> offers) {
    long from = a.at();
    for (RoutedOffer o : offers) {
      waitedWhileFree(a, from, o.start);
      if (o.outcome == Kind.ACCEPTED) {
        return;
      }
      from = Math.max(from, o.endFree);
    }
    waitedWhileFree(a, from, NEVER);
  }

  /** The longest stretch of [from, to) in which some agent of the chat's queue was free. */
  private void waitedWhileFree(Arrival a, long from, long to) {
    if (to <= from) {
      return;
    }
    List<long[]> clipped = new ArrayList<>();
    Map<long[], String> whose = new LinkedHashMap<>();
    free.stretches()
        .forEach(
            (agent, stretches) -> {
              if (agents.get(agent).serves(a.queue())) {
                for (long[] f : stretches) {
                  long s = Math.max(f[0], from);
                  long e = Math.min(f[1], to);
                  if (s < e) {
                    long[] c = {s, e};
                    clipped.add(c);
                    whose.put(c, agent);
                  }
                }
              }
            });
    clipped.sort(Comparator.comparingLong(c -> c[0]));
    long runStart = -1;
    long runEnd = -1;
    Set<String> who = new LinkedHashSet<>();
    for (long[] c : clipped) {
      if (runStart < 0 || c[0] > runEnd) {
        report(a, runStart, runEnd, who);
        runStart = c[0];
        runEnd = c[1];
        who = new LinkedHashSet<>();
      } else {
        runEnd = Math.max(runEnd, c[1]);
      }
      who.add(whose.get(c));
    }
    report(a, runStart, runEnd, who);
  }

  private void report(Arrival a, long start, long end, Set<String> who) {
    if (start < 0) {
      return;
    }
    long waited = end == NEVER ? NEVER : ms(end - start);
    maxWaitWhileFree = Math.max(maxWaitWhileFree, waited);
    if (waited > WAIT_LIMIT_MS + tolerances.waitMs()) {
      problems.add(
          a.chatId()
              + ": waited "
              + (waited == NEVER ? "for ever" : waited + " ms")
              + " in queue "
              + a.queue()
              + " while "
              + who
              + " could take it");
    }
  }

  // ---- moving on ---------------------------------------------------------------------------

  private void movesOn(String queue, List<RoutedOffer> offers) {
    Set<String> passedBy = new HashSet<>();
    for (int i = 0; i + 1 < offers.size(); i++) {
      RoutedOffer o = offers.get(i);
      if (!o.passed()) {
        continue;
      }
      passedBy.add(o.agentId);
      RoutedOffer next = offers.get(i + 1);
      if (!next.agentId.equals(o.agentId)) {
        movedOn++;
        continue;
      }
      long tol = TimeUnit.MILLISECONDS.toNanos(tolerances.waitMs());
      for (String other : agents.keySet()) {
        if (!passedBy.contains(other)
            && agents.get(other).serves(queue)
            && free.throughout(other, next.start - tol, next.start + tol)) {
          problems.add(
              o.chatId
                  + ": offered to "
                  + o.agentId
                  + " again after it passed it, while "
                  + other
                  + " was free");
          break;
        }
      }
    }
  }

  private static String agentsOf(List<RoutedOffer> offers) {
    return offers.stream().map(o -> o.agentId).toList().toString();
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
