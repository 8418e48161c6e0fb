package dev.hachat.store.impl.cassandra;

import dev.hachat.store.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides which stored entry rows form the transcript (read-time fencing). A row written at index
 * {@code i} under epoch {@code e} is valid iff every later epoch {@code k} (e < k ≤ the current
 * epoch) took over with a base index ≥ i: whoever claimed epoch k had read the transcript up to its
 * base, so rows of older epochs past it were never acknowledged. Of the valid rows of one index the
 * newest epoch wins, and the transcript is the gap-free prefix from index 1 (an owner acknowledges
 * in index order with one write in flight, so nothing past a gap was acknowledged). Pure;
 * unit-testable without a database.
 */
final class TranscriptResolver {
  private TranscriptResolver() {}

  /** A stored entry row with the epoch that wrote it. */
  record Row(Entry entry, long epoch) {}

  static List<Entry> resolve(List<Row> rows, Map<Long, Long> bases, long currentEpoch) {
    TreeMap<Long, Row> best = new TreeMap<>();
    for (Row r : rows) {
      if (!valid(r, bases, currentEpoch)) {
        continue;
      }
      best.merge(r.entry().index(), r, (a, b) -> a.epoch() >= b.epoch() ? a : b);
    }
    List<Entry> out = new ArrayList<>(best.size());
    long expected = 1;
    for (Map.Entry<Long, Row> e : best.entrySet()) {
      if (e.getKey() != expected) {
        break;
      }
      out.add(e.getValue().entry());
      expected++;
    }
    return out;
  }

  private static boolean valid(Row r, Map<Long, Long> bases, long currentEpoch) {
    if (r.epoch() > currentEpoch) {
      return false; // a claim that never completed cannot have written; defensive
    }
    for (Map.Entry<Long, Long> b : bases.entrySet()) {
      long k = b.getKey();
      if (k > r.epoch() && k <= currentEpoch && r.entry().index() > b.getValue()) {
        return false;
      }
    }
    return true;
  }
}
