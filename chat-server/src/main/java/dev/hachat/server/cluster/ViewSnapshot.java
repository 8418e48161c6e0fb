package dev.hachat.server.cluster;

import dev.hachat.store.InstanceRecord;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What this instance knows of the others at one moment (docs/consistency.md, R3): the records of
 * its registry polls, when each last changed or went missing, and how old the view is. Times are
 * local monotonic nanos; death is judged with a clock reading ({@link #deadSince}), so no wall
 * clocks of two machines are ever compared.
 *
 * <p>Immutable: {@link PeerView} replaces it on its context after each poll (and when asked about
 * an instance never seen); any thread reads it.
 *
 * @param timeoutNanos {@code heartbeat-timeout}
 * @param freshNanos how long after its poll started a view is fresh ({@code F = 2.5·I})
 * @param polled a poll was seen at all
 * @param pollStartedNanos when the poll this view reflects started
 * @param runStartNanos when the first poll of the current gap-free run of polls was seen (absence
 *     is timed from here at the earliest)
 * @param seen every other instance seen, by id; gone ones are kept so their absence can be timed
 * @param asked instances never seen, by when this instance was first asked about them
 * @param pruned gone records were forgotten (more than {@link #GONE_MAX})
 * @param prunedGoneNanos absence of a forgotten record is timed from here at the earliest
 */
public record ViewSnapshot(
    long timeoutNanos,
    long freshNanos,
    boolean polled,
    long pollStartedNanos,
    long runStartNanos,
    Map<String, Seen> seen,
    Map<String, Long> asked,
    boolean pruned,
    long prunedGoneNanos) {

  /** Records of instances gone from the registry, kept so their absence can be timed. */
  static final int GONE_MAX = 1000;

  /**
   * What this instance saw of another: its record, when (local nanos) the record last changed, and
   * since when it has been missing from the registry ({@code present} false).
   */
  public record Seen(
      InstanceRecord record, long changedAtNanos, boolean present, long goneAtNanos) {}

  public ViewSnapshot {
    seen = Map.copyOf(seen);
    asked = Map.copyOf(asked);
  }

  /** Before the first poll: nothing seen, never fresh. */
  static ViewSnapshot empty(long timeoutNanos, long freshNanos) {
    return new ViewSnapshot(timeoutNanos, freshNanos, false, 0, 0, Map.of(), Map.of(), false, 0);
  }

  /** True if the poll this view reflects started at most {@code F} before {@code nowNanos}. */
  public boolean fresh(long nowNanos) {
    return polled && nowNanos - pollStartedNanos <= freshNanos;
  }

  /**
   * True if {@code id} is dead by R3 with evidence this view had already at {@code sinceNanos} (the
   * start of a restore's load): on a fresh view, its heartbeat counter unchanged since {@code
   * sinceNanos − timeout}, or its record missing from every poll since then, or its record saying
   * it stopped, first seen by then. An instance never seen counts as missing since it was first
   * asked about ({@code nowNanos} if this is the first time).
   */
  public boolean deadSince(String id, long sinceNanos, long nowNanos) {
    if (!fresh(nowNanos)) {
      return false; // no fresh view of the registry: nobody may be declared dead
    }
    Seen s = seen.get(id);
    if (s == null) {
      // Never seen: missing since this run of polls began or, later, since it was first asked
      // about (a newly started instance is missing from older polls, R3).
      long missingSince = later(runStartNanos, asked.getOrDefault(id, nowNanos));
      if (pruned) {
        missingSince = later(missingSince, prunedGoneNanos);
      }
      return sinceNanos - missingSince >= timeoutNanos;
    }
    if (!s.present()) {
      return sinceNanos - later(s.goneAtNanos(), runStartNanos) >= timeoutNanos;
    }
    if (s.record().stopped()) {
      return sinceNanos - s.changedAtNanos() >= 0;
    }
    return sinceNanos - s.changedAtNanos() >= timeoutNanos;
  }

  /** The record of {@code id} in the last poll, if it was there. */
  public Optional<InstanceRecord> record(String id) {
    Seen s = seen.get(id);
    return s == null || !s.present() ? Optional.empty() : Optional.of(s.record());
  }

  /** The records of the last poll, by instance id. */
  public List<InstanceRecord> present() {
    return seen.values().stream()
        .filter(Seen::present)
        .map(Seen::record)
        .sorted(Comparator.comparing(InstanceRecord::instanceId))
        .toList();
  }

  /** True if {@code id} was never seen and nobody asked about it yet. */
  boolean unknown(String id) {
    return !seen.containsKey(id) && !asked.containsKey(id);
  }

  /** This view with {@code id}, never seen, first asked about at {@code atNanos}. */
  ViewSnapshot askedAbout(String id, long atNanos) {
    if (!unknown(id)) {
      return this;
    }
    Map<String, Long> next = asked.size() >= GONE_MAX ? new HashMap<>() : new HashMap<>(asked);
    next.put(id, atNanos);
    return withRecords(seen, next, pruned, prunedGoneNanos);
  }

  /**
   * This view after a poll that started at {@code startedNanos} answered {@code records} (seen at
   * {@code nowNanos}); records of {@code self} and of web API servers are left out. An older poll
   * answered late changes nothing.
   */
  ViewSnapshot afterPoll(
      List<InstanceRecord> records, long startedNanos, long nowNanos, String self) {
    if (polled && startedNanos - pollStartedNanos <= 0) {
      return this; // an older poll that completed late: the view already reflects a newer one
    }
    // A gap (first poll, a pause, failed polls): absence is timed afresh from here.
    boolean gap = !polled || startedNanos - pollStartedNanos > freshNanos;
    Map<String, Seen> next = new HashMap<>(seen);
    Map<String, Long> stillMissing = new HashMap<>(asked);
    Set<String> present = new HashSet<>();
    for (InstanceRecord r : records) {
      if (self.equals(r.instanceId()) || r.isWebApiServer()) {
        continue; // web API servers' rows are for the state table only
      }
      present.add(r.instanceId());
      stillMissing.remove(r.instanceId());
      Seen old = next.get(r.instanceId());
      next.put(
          r.instanceId(),
          old == null || !old.present() || changed(old.record(), r)
              ? new Seen(r, nowNanos, true, 0)
              : new Seen(r, old.changedAtNanos(), true, 0));
    }
    for (Map.Entry<String, Seen> e : next.entrySet()) {
      Seen s = e.getValue();
      if (s.present() && !present.contains(e.getKey())) {
        e.setValue(new Seen(s.record(), s.changedAtNanos(), false, nowNanos));
      }
    }
    ViewSnapshot polledNow =
        new ViewSnapshot(
            timeoutNanos,
            freshNanos,
            true,
            startedNanos,
            gap ? nowNanos : runStartNanos,
            next,
            stillMissing,
            pruned,
            prunedGoneNanos);
    return next.size() - present.size() > GONE_MAX ? polledNow.prunedGone() : polledNow;
  }

  /** Forgets the longest-gone records; never-seen instances count as missing since then. */
  private ViewSnapshot prunedGone() {
    List<Map.Entry<String, Seen>> gone =
        seen.entrySet().stream()
            .filter(e -> !e.getValue().present())
            .sorted(Comparator.comparingLong(e -> e.getValue().goneAtNanos()))
            .toList();
    Map<String, Seen> kept = new HashMap<>(seen);
    boolean anyPruned = pruned;
    long prunedGone = prunedGoneNanos;
    for (int i = 0; i < gone.size() - GONE_MAX / 2; i++) {
      Seen s = gone.get(i).getValue();
      if (!anyPruned || s.goneAtNanos() - prunedGone > 0) {
        prunedGone = s.goneAtNanos();
        anyPruned = true;
      }
      kept.remove(gone.get(i).getKey());
    }
    return withRecords(kept, asked, anyPruned, prunedGone);
  }

  /** This view (same polls) with other records of the instances seen and asked about. */
  private ViewSnapshot withRecords(
      Map<String, Seen> seen, Map<String, Long> asked, boolean pruned, long prunedGoneNanos) {
    return new ViewSnapshot(
        timeoutNanos,
        freshNanos,
        polled,
        pollStartedNanos,
        runStartNanos,
        seen,
        asked,
        pruned,
        prunedGoneNanos);
  }

  /** A record changed when its counter moved or it is another incarnation (restart, same id). */
  private static boolean changed(InstanceRecord old, InstanceRecord r) {
    return old.heartbeat() != r.heartbeat() || old.startedAt() != r.startedAt();
  }

  private static long later(long a, long b) {
    return a - b > 0 ? a : b;
  }
}
