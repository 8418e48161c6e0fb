package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;

import dev.hachat.esp.client.FailoverEspClient;
import dev.hachat.store.Entry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The two sides of one chat sending without pause while the network breaks under them: a customer
 * through the web API server (GMS REST, one attempt per request, a failed one sent again with the
 * same {@code messageId}) and an agent over ESP ({@link FailoverEspClient}, which follows the chat
 * by itself). Every acknowledgement is recorded with when it came and which instance gave it: the
 * {@code alias} of the GMS answer, the instance whose ESP port answered the agent.
 *
 * <p>Threading: one thread per side; the records are concurrent lists read by the test thread.
 */
final class PartitionTraffic implements AutoCloseable {
  /** One acknowledged message: its text, its index, by whom and when ({@link System#nanoTime}). */
  record Ack(String side, String text, long index, String by, long at) {}

  private static final long PAUSE_MS = 50; // between two messages of one side, as a typist

  private final GmsCustomers customers;
  private final GmsCustomers.Chat chat;
  private final FailoverEspClient desk;
  private final Function<String, String> instanceOfEsp;
  private final List<Ack> acks = new CopyOnWriteArrayList<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final List<Entry> agentSaw = new CopyOnWriteArrayList<>();
  private volatile boolean stop;
  private Thread customer;
  private Thread agent;

  /**
   * The chat's customer and its agent's desk (which accepted it); {@code instanceOfEsp} names the
   * instance of an ESP endpoint.
   */
  PartitionTraffic(
      GmsCustomers customers,
      GmsCustomers.Chat chat,
      FailoverEspClient desk,
      Function<String, String> instanceOfEsp) {
    this.customers = customers;
    this.chat = chat;
    this.desk = desk;
    this.instanceOfEsp = instanceOfEsp;
    desk.onEntry(
        (chatId, e) -> {
          if (chatId.equals(chat.chatId)) {
            agentSaw.add(e);
          }
        });
  }

  void start() {
    customer = daemon(this::customerLoop, "customer-" + chat.chatId);
    agent = daemon(this::agentLoop, "agent-" + chat.chatId);
  }

  private void customerLoop() {
    for (int k = 1; !stop; k++) {
      String text = "c-" + k;
      while (true) { // until acknowledged: an abandoned send might be stored unacknowledged
        try {
          HttpResponse<Buffer> r =
              customers.attemptOp(chat, "send", Map.of("message", text, "messageId", text));
          JsonObject b = r.bodyAsJsonObject();
          if (r.statusCode() == 200 && b.getInteger("statusCode", -1) == 0) {
            long index = b.getJsonArray("messages").getJsonObject(0).getLong("index");
            acks.add(new Ack("customer", text, index, b.getString("alias"), System.nanoTime()));
            break;
          }
          failures.add(text + ": " + r.statusCode() + " " + r.bodyAsString());
        } catch (Exception e) {
          failures.add(text + ": " + e);
        }
        pause(); // a widget's retry pause
      }
      pause();
    }
  }

  private void agentLoop() {
    for (int k = 1; !stop; k++) {
      String text = "a-" + k;
      while (true) { // until acknowledged: an abandoned send might be stored unacknowledged
        try {
          Entry e = await(desk.send(chat.chatId, text, text), Duration.ofSeconds(90));
          String by = instanceOfEsp.apply(desk.endpointOf(chat.chatId));
          acks.add(new Ack("agent", text, e.index(), by, System.nanoTime()));
          break;
        } catch (Exception e) {
          failures.add(text + ": " + e);
        }
        pause();
      }
      pause();
    }
  }

  /** Every acknowledgement so far, in the order they came. */
  List<Ack> acks() {
    return List.copyOf(acks);
  }

  /** The acknowledged texts in transcript order (by index). */
  List<String> ackedInOrder() {
    return acks.stream().sorted(Comparator.comparingLong(Ack::index)).map(Ack::text).toList();
  }

  /** Failed attempts (each sent again), for the report. */
  List<String> failures() {
    return List.copyOf(failures);
  }

  /** The texts of every message entry the agent's desk was handed, in order. */
  List<String> agentSaw() {
    return agentSaw.stream().map(Entry::text).toList();
  }

  /** Ends both loops once the message each is sending now is acknowledged. */
  @Override
  public void close() throws InterruptedException {
    stop = true;
    for (Thread t : new Thread[] {customer, agent}) {
      if (t != null) {
        t.join(TimeUnit.SECONDS.toMillis(100));
      }
    }
  }

  private static void pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(PAUSE_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
