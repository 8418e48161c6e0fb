package dev.hachat.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RendezvousTest {
  static final List<String> ALL = List.of("cs1", "cs2", "cs3", "cs4");

  @Test
  void the_chats_of_a_dead_instance_spread_evenly_and_no_other_chat_moves() {
    Map<String, Integer> heirs = new HashMap<>();
    for (int i = 0; i < 3000; i++) {
      String chat = "chat-" + i;
      String owner = Rendezvous.pick(chat, ALL, Function.identity()).orElseThrow();
      String after =
          Rendezvous.pick(chat, List.of("cs1", "cs2", "cs3"), Function.identity()).orElseThrow();
      if (owner.equals("cs4")) {
        heirs.merge(after, 1, Integer::sum);
      } else {
        assertThat(after).as("a chat whose instance lives stays").isEqualTo(owner);
      }
    }
    int moved = heirs.values().stream().mapToInt(Integer::intValue).sum();
    assertThat(moved).as("about a quarter of the chats were on cs4").isBetween(600, 900);
    heirs.values().forEach(n -> assertThat(n).isBetween(moved / 3 - 80, moved / 3 + 80));
  }

  @Test
  void every_process_picks_the_same_one_whatever_the_order() {
    for (int i = 0; i < 100; i++) {
      String chat = "c" + i;
      assertThat(Rendezvous.pick(chat, List.of("a", "b", "c"), Function.identity()))
          .isEqualTo(Rendezvous.pick(chat, List.of("c", "a", "b"), Function.identity()));
    }
    assertThat(Rendezvous.pick("c", List.<String>of(), Function.identity())).isEmpty();
  }
}
