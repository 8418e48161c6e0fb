package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;

import dev.hachat.esp.client.FailoverEspClient;
import dev.hachat.store.Entry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

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
  /**
   * One acknowledged message: its text, its index, by whom, when its first attempt was sent and
   * when the acknowledgement came ({@link System#nanoTime}).
   */
  record Ack(String side, String text, long index, String by, long sent, long at) {
    /** From the first attempt to the acknowledgement, retries included. */
    long latencyMillis() {
      return TimeUnit.NANOSECONDS.toMillis(at - sent);
    }
  }

  private static final long PAUSE_MS = 50; // between two messages of one side, as a typist

  private final GmsCustomers customers;
  private final GmsCustomers.Chat chat;
  private final FailoverEspClient desk;
  private final Function<String, String> instanceOfEsp;
  private final List<Ack> acks = new CopyOnWriteArrayList<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final List<String> fatal = new CopyOnWriteArrayList<>();
  private final List<Entry> agentSaw = new CopyOnWriteArrayList<>();
  private volatile boolean stop;
  private Thread customer;
  private Thread agent;

  /**
   * Both sides of {@code chat} in {@code cluster}, sending: connects an agent's desk to every
   * instance's ESP port, accepts the chat there, starts both loops and waits until the chat's owner
   * acknowledged three messages of each. Closing it disconnects the desk.
   */
  static PartitionTraffic started(
      NetnsCluster cluster, GmsCustomers customers, GmsCustomers.Chat chat) throws Exception {
    String owner = chat.alias;
    FailoverEspClient desk =
        await(FailoverEspClient.connect(cluster.vertx(), cluster.desk("agent-" + chat.chatId)));
    PartitionTraffic t = new PartitionTraffic(customers, chat, desk, cluster::instanceAt);
    try {
      await(desk.accept(chat.chatId));
      t.start();
      t.awaitAcks(x -> x.by().equals(owner), 3, "acknowledged by the owner " + owner);
      return t;
    } catch (Exception | AssertionError e) {
      t.close();
      throw e;
    }
  }

  /**
   * The chat's customer and its agent's desk (which accepted it); {@code instanceOfEsp} names the
   * instance of an ESP endpoint.
   */
  private PartitionTraffic(
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

  private void start() {
    customer = daemon(this::customerLoop, "customer-" + chat.chatId);
    agent = daemon(this::agentLoop, "agent-" + chat.chatId);
  }

  private void customerLoop() {
    for (int k = 1; !stop; k++) {
      String text = "c-" + k;
      long sent = System.nanoTime();
      while (true) { // until acknowledged: an abandoned send might be stored unacknowledged
        try {
          HttpResponse<Buffer> r =
              customers.attemptOp(chat, "send", Map.of("message", text, "messageId", text));
          JsonObject b = r.bodyAsJsonObject();
          if (r.statusCode() == 200 && b.getInteger("statusCode", -1) == 0) {
            long index = b.getJsonArray("messages").getJsonObject(0).getLong("index");
            acks.add(
                new Ack("customer", text, index, b.getString("alias"), sent, System.nanoTime()));
            break;
          }
          failures.add(text + ": " + r.statusCode() + " " + r.bodyAsString());
          if (r.statusCode() == 500 || b.getInteger("statusCode", -1) != 1) {
            fatal.add(text + ": " + r.statusCode() + " " + r.bodyAsString());
          }
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
      long sent = System.nanoTime();
      while (true) { // until acknowledged: an abandoned send might be stored unacknowledged
        try {
          Entry e = await(desk.send(chat.chatId, text, text), Duration.ofSeconds(90));
          String by = instanceOfEsp.apply(desk.endpointOf(chat.chatId));
          acks.add(new Ack("agent", text, e.index(), by, sent, System.nanoTime()));
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

  /**
   * The instances that acknowledged, in runs of the order the acknowledgements came: {@code [cs1]}
   * without a failover, {@code [cs1, cs2]} after one. An instance that shows twice acknowledged
   * again after another one had.
   */
  List<String> ownerRuns() {
    List<String> runs = new ArrayList<>();
    for (Ack x : acks) {
      if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(x.by())) {
        runs.add(x.by());
      }
    }
    return runs;
  }

  /** Waits until each side has {@code n} acknowledgements matching {@code which}. */
  void awaitAcks(Predicate<Ack> which, int n, String what) {
    Awaitility.await("customer and agent each " + what)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> count("customer", which) >= n && count("agent", which) >= n);
  }

  /** How many acknowledgements of {@code side} match {@code which}. */
  long count(String side, Predicate<Ack> which) {
    return acks.stream().filter(x -> x.side().equals(side) && which.test(x)).count();
  }

  /**
   * The customer's answers that were neither an acknowledgement nor a retryable refusal (statusCode
   * 1): fatal errors, HTTP 500, bodies that are no GMS answer. Each was sent again all the same.
   */
  List<String> fatal() {
    return List.copyOf(fatal);
  }

  /** Failed attempts (each sent again), for the report. */
  List<String> failures() {
    return List.copyOf(failures);
  }

  /** The texts of every message entry the agent's desk was handed, in order. */
  List<String> agentSaw() {
    return agentSaw.stream().map(Entry::text).toList();
  }

  /**
   * Ends both loops once the message each is sending now is acknowledged; the desk stays connected
   * (it is still handed the chat's entries).
   */
  void stop() throws InterruptedException {
    stop = true;
    for (Thread t : new Thread[] {customer, agent}) {
      if (t != null) {
        t.join(TimeUnit.SECONDS.toMillis(100));
      }
    }
  }

  /** Stops both loops if they still run, and disconnects the agent's desk. */
  @Override
  public void close() throws Exception {
    try {
      stop();
    } finally {
      await(desk.disconnect());
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
