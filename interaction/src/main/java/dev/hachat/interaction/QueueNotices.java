package dev.hachat.interaction;

import dev.hachat.interaction.config.RoutingOptions;
import dev.hachat.interaction.routing.QueuePlace;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What queued customers are told: the queue's greeting once, when the chat is first queued, and its
 * place in the queue ({@code routing.position-notice}) when it changes, at most once per {@code
 * routing.position-notice-interval}. Written as system notices at the chat's instance.
 *
 * <p>Threading: confined to the switchboard's context ({@link #tick} runs there).
 */
final class QueueNotices {
  private static final Logger LOG = LoggerFactory.getLogger(QueueNotices.class);
  private static final int GREETED_MAX = 100_000;

  /** Writes one notice; failures are the caller's to log. */
  interface Writer {
    io.vertx.core.Future<Void> write(String instanceId, String chatId, String text);
  }

  private record Told(int place, long at) {}

  private final RoutingOptions routing;
  private final Writer writer;
  private final LongSupplier now;
  private final Map<String, Told> told = new HashMap<>();
  private final Set<String> greeted = new LinkedHashSet<>();

  QueueNotices(RoutingOptions routing, Writer writer, LongSupplier now) {
    this.routing = routing;
    this.writer = writer;
    this.now = now;
  }

  /**
   * One pass over the chats waiting without an offer; only the server that routes writes ({@code
   * write}), the others keep track, so that a new router neither greets twice nor repeats a place.
   */
  void tick(List<QueuePlace> places, boolean write) {
    long t = now.getAsLong();
    Set<String> present = new HashSet<>();
    for (QueuePlace p : places) {
      present.add(p.chatId());
      String greeting = routing.getGreetings().getOrDefault(p.queue(), "");
      if (!greeting.isEmpty() && greeted.add(p.chatId())) {
        if (write) {
          write(p, greeting);
        }
        if (greeted.size() > GREETED_MAX) {
          greeted.remove(greeted.iterator().next());
        }
      }
      if (routing.getPositionNotice().isEmpty()) {
        continue;
      }
      Told last = told.get(p.chatId());
      boolean due = last == null || t - last.at() >= routing.getPositionNoticeInterval();
      if (due && (last == null || last.place() != p.place())) {
        told.put(p.chatId(), new Told(p.place(), t));
        if (write) {
          write(p, routing.getPositionNotice().replace("{position}", Integer.toString(p.place())));
        }
      }
    }
    told.keySet().retainAll(present);
  }

  private void write(QueuePlace p, String text) {
    writer
        .write(p.instanceId(), p.chatId(), text)
        .onFailure(
            e -> LOG.debug("queue notice to chat {} not written: {}", p.chatId(), e.toString()));
  }
}
