package dev.hachat.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserDataTest {

  private static Entry update(long index, Map<String, String> keys) {
    return new Entry(
        index,
        EntryType.USER_DATA_UPDATED,
        "p1",
        "Ann",
        ParticipantType.CLIENT,
        UserData.encode(keys),
        index,
        null);
  }

  @Test
  void current_data_is_the_creation_data_overlaid_with_updates_in_index_order() {
    Map<String, String> first = new LinkedHashMap<>();
    first.put("order", "B-2");
    first.put("quote", "say \"hi\" \\ {}");
    List<Entry> entries =
        List.of(
            update(1, first),
            new Entry(2, EntryType.MESSAGE, "p1", "Ann", ParticipantType.CLIENT, "{}", 2, "m"),
            update(3, Map.of("order", "C-3")));

    assertThat(UserData.current(Map.of("order", "A-17", "lang", "en"), entries))
        .isEqualTo(Map.of("order", "C-3", "lang", "en", "quote", "say \"hi\" \\ {}"));
  }

  @Test
  void an_update_text_round_trips_and_a_foreign_text_sets_nothing() {
    assertThat(UserData.decode(UserData.encode(Map.of("k", "v", "ü", "😀"))))
        .isEqualTo(Map.of("k", "v", "ü", "😀"));
    assertThat(UserData.decode("not json")).isEmpty();
    assertThat(UserData.decode("[1]")).isEmpty();
    assertThat(UserData.decode("{\"n\":1}")).isEqualTo(Map.of("n", "1"));
  }
}
