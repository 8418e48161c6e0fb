package dev.hachat.interaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.interaction.config.RoutingOptions;
import dev.hachat.interaction.routing.QueuePlace;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class QueueNoticesTest {
  private final AtomicLong clock = new AtomicLong();
  private final List<String> written = new ArrayList<>();
  private final RoutingOptions routing =
      new RoutingOptions()
          .setPositionNoticeInterval(30_000)
          .setGreetings(Map.of("sales", "Welcome to sales."));
  private final QueueNotices notices =
      new QueueNotices(
          routing,
          (instance, chat, text) -> {
            written.add(chat + "@" + instance + ": " + text);
            return Future.succeededFuture();
          },
          clock::get);

  private static QueuePlace at(String chat, String queue, int place) {
    return new QueuePlace(chat, queue, "cs1", place, 0);
  }

  @Test
  void a_new_chat_is_greeted_once_and_told_its_place() {
    notices.tick(List.of(at("c1", "sales", 1), at("c2", "billing", 2)), true);
    notices.tick(List.of(at("c1", "sales", 1), at("c2", "billing", 2)), true);
    assertThat(written)
        .containsExactly(
            "c1@cs1: Welcome to sales.",
            "c1@cs1: You are number 1 in the queue.",
            "c2@cs1: You are number 2 in the queue.");
  }

  @Test
  void a_changed_place_is_told_at_most_once_per_interval() {
    notices.tick(List.of(at("c2", "billing", 3)), true);
    clock.addAndGet(10_000);
    notices.tick(List.of(at("c2", "billing", 2)), true);
    assertThat(written).hasSize(1);
    clock.addAndGet(20_000);
    notices.tick(List.of(at("c2", "billing", 1)), true);
    assertThat(written).last().asString().endsWith("You are number 1 in the queue.");
    assertThat(written).hasSize(2);
  }

  @Test
  void an_empty_position_notice_turns_them_off() {
    routing.setPositionNotice("").setGreetings(Map.of());
    notices.tick(List.of(at("c1", "sales", 1)), true);
    assertThat(written).isEmpty();
  }
}
