package dev.hachat.store.impl.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.impl.cassandra.TranscriptResolver.Row;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TranscriptResolverTest {
  private static Row row(long index, long epoch, String text) {
    return new Row(
        new Entry(index, EntryType.MESSAGE, "p", "n", ParticipantType.CLIENT, text, 0, null),
        epoch);
  }

  private static List<String> texts(List<Entry> entries) {
    return entries.stream().map(Entry::text).toList();
  }

  @Test
  void old_epoch_rows_past_a_later_base_are_dropped_and_newest_epoch_wins() {
    List<Row> rows =
        List.of(
            row(1, 1, "a"),
            row(2, 1, "b"),
            row(3, 1, "stale"),
            row(3, 2, "fresh"),
            row(4, 1, "stale2"));
    assertThat(texts(TranscriptResolver.resolve(rows, Map.of(1L, 0L, 2L, 2L), 2)))
        .containsExactly("a", "b", "fresh");
  }

  @Test
  void transcript_stops_at_the_first_gap() {
    List<Row> rows = List.of(row(1, 1, "a"), row(3, 1, "c"));
    assertThat(texts(TranscriptResolver.resolve(rows, Map.of(1L, 0L), 1))).containsExactly("a");
  }

  @Test
  void every_later_claim_bounds_an_old_row() {
    // epoch 2 took over at 5, epoch 3 at 3: a row of epoch 1 at index 4 is gone, index 3 stays.
    List<Row> rows =
        List.of(row(1, 1, "1"), row(2, 1, "2"), row(3, 1, "3"), row(4, 1, "4"), row(4, 3, "4'"));
    assertThat(texts(TranscriptResolver.resolve(rows, Map.of(1L, 0L, 2L, 5L, 3L, 3L), 3)))
        .containsExactly("1", "2", "3", "4'");
  }
}
