package dev.hachat.systemtest;

import static dev.hachat.systemtest.FailoverClients.awaitCondition;
import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.systemtest.CometdCustomer.Transport;
import dev.hachat.systemtest.FailoverClients.AgentSeat;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A web API server dies behind HAProxy, all real processes: Cassandra, two instances, two web API
 * servers, and a real HAProxy running the shipped {@code deploy/haproxy/haproxy.cfg} (only
 * addresses and ports set, see {@link HaproxyProcess}). Widgets chat through HAProxy only: GMS REST
 * customers (widget retries, {@link WidgetRestCustomers}) and two CometD customers, one
 * long-polling and one on a WebSocket ({@link CometdCustomer}); an agent answers each message over
 * ESP. The web API server holding the CometD sessions is killed with kill -9 mid-chat. Every chat
 * goes on: no REST request fails, every acknowledged message is in its transcript exactly once, the
 * CometD customers get every transcript entry exactly once. The web API servers trust HAProxy's
 * address and allow two connections per other address, which HAProxy alone exceeds.
 */
@Tag("system")
class HaproxyFailoverIT {
  static final int REST_CHATS = 6;
  static final int ROUNDS_BEFORE_KILL = 3;
  static final int ROUNDS_AFTER_KILL = 4;

  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .sharedCassandra("haproxy_failover")
          .instances(2)
          .webApiServers(2)
          .webApiProperty("gms.edge.trusted-proxies", "127.0.0.1")
          .webApiProperty("gms.edge.max-connections-per-address", "2")
          .build();

  static HaproxyProcess haproxy;
  final List<AutoCloseable> closing = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startHaproxy() throws Exception {
    OpsTools.install("haproxy");
    List<Integer> ports = cluster.webApis().stream().map(WebApiProcess::port).toList();
    haproxy =
        HaproxyProcess.start(
            "haproxy-failover-it", HaproxyProcess.environment("haproxy-failover-it", ports));
    for (String s : List.of("gms1", "gms2")) {
      awaitCondition(
          s + " passed its first health check",
          30,
          () -> haproxy.row("webapi", s).get("check_status").equals("L7OK"));
    }
  }

  @AfterAll
  static void stopHaproxy() throws InterruptedException {
    if (haproxy != null) {
      haproxy.close();
    }
  }

  /** What a chat's driver needs, whatever the widget's transport. */
  private interface Widget {
    String chatId();

    void send(String messageId, String text) throws Exception;

    /** Until the customer has seen {@code text} (the agent's answer). */
    void awaitText(String text) throws Exception;
  }

  @Test
  void widgets_chat_on_through_haproxy_when_a_web_api_server_is_killed() throws Exception {
    WidgetRestCustomers rest = new WidgetRestCustomers(cluster.vertx(), haproxy.port());
    FailoverClients agentSide = new FailoverClients(cluster.vertx(), cluster.addresses());
    String cometdUrl = "http://127.0.0.1:" + haproxy.port() + "/genesys/cometd";
    List<Widget> widgets = new ArrayList<>();
    Map<String, WidgetRestCustomers.Chat> readers = new ConcurrentHashMap<>();
    for (int i = 0; i < REST_CHATS; i++) {
      WidgetRestCustomers.Chat c = rest.requestChat("Rest" + i);
      readers.put(c.chatId, c);
      widgets.add(restWidget(rest, c));
    }
    List<CometdCustomer> cometd = new ArrayList<>();
    for (Transport t : Transport.values()) {
      CometdCustomer c = CometdCustomer.connect(cometdUrl, t);
      closing.add(c);
      JsonObject chat = c.requestChat("Cometd" + t);
      readers.put(c.chatId(), new WidgetRestCustomers.Chat(chat));
      cometd.add(c);
      widgets.add(cometdWidget(c));
    }
    Map<String, AgentSeat> seats = new ConcurrentHashMap<>();
    for (Widget w : widgets) {
      seats.put(w.chatId(), agentSide.accept(w.chatId()));
    }
    // Both CometD customers come from 127.0.0.1: the same server holds both Bayeux sessions.
    List<String> cometdOn =
        List.of("gms1", "gms2").stream()
            .filter(s -> uncheckedCounter("webapi_cometd", s, "stot") > 0)
            .toList();
    assertThat(cometdOn).as("web API servers holding CometD sessions").hasSize(1);
    String victimName = cometdOn.get(0);
    WebApiProcess victim = cluster.webApi(victimName.equals("gms1") ? 0 : 1);
    WebApiProcess survivor = cluster.webApi(victimName.equals("gms1") ? 1 : 0);

    CountDownLatch warm = new CountDownLatch(widgets.size());
    AtomicLong killedAt = new AtomicLong();
    Map<String, List<String>> acked = new ConcurrentHashMap<>();
    Map<String, Long> firstOkAfterKill = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(widgets.size());
    List<Future<?>> drivers = new ArrayList<>();
    for (Widget w : widgets) {
      List<String> mine = new CopyOnWriteArrayList<>();
      acked.put(w.chatId(), mine);
      AgentSeat seat = seats.get(w.chatId());
      drivers.add(
          pool.submit(
              () -> {
                int afterKill = 0;
                for (int round = 0; afterKill < ROUNDS_AFTER_KILL; round++) {
                  assertThat(round).as("rounds of %s", w.chatId()).isLessThan(500);
                  boolean killed = killedAt.get() != 0;
                  String text = w.chatId() + " customer " + round;
                  w.send("c-" + round, text);
                  mine.add(text);
                  if (killedAt.get() != 0) {
                    firstOkAfterKill.putIfAbsent(w.chatId(), System.nanoTime() - killedAt.get());
                  }
                  String answer = w.chatId() + " agent " + round;
                  agentSide.agentSend(seat, "a-" + round, answer);
                  mine.add(answer);
                  w.awaitText(answer);
                  afterKill += killed ? 1 : 0;
                  if (round + 1 == ROUNDS_BEFORE_KILL) {
                    warm.countDown();
                  }
                  // A customer's think time (load shaping, not synchronisation).
                  TimeUnit.MILLISECONDS.sleep(20 + ThreadLocalRandom.current().nextInt(80));
                }
                return null;
              }));
    }
    assertThat(warm.await(3, TimeUnit.MINUTES)).as("every chat got going").isTrue();
    killedAt.set(System.nanoTime());
    victim.kill();
    System.out.printf("kill -9 of %s (holds the CometD sessions)%n", victimName);
    awaitCondition(
        "HAProxy marks " + victimName + " down",
        30,
        () -> haproxy.status("webapi", victimName).startsWith("DOWN"));
    long detectMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt.get());
    try {
      for (Future<?> d : drivers) {
        d.get(4, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    int total = 0;
    for (Widget w : widgets) {
      JsonArray transcript = rest.transcript(readers.get(w.chatId()));
      List<String> mine = acked.get(w.chatId());
      total += mine.size();
      assertThat(TranscriptCheck.problems(transcript, mine)).as(w.chatId()).isEmpty();
    }
    for (CometdCustomer c : cometd) {
      JsonArray transcript = rest.transcript(readers.get(c.chatId()));
      awaitCondition(
          c.transport + " client has the whole transcript", 30, () -> c.next() > transcript.size());
      assertThat(TranscriptCheck.deliveryProblems(c.delivered, transcript))
          .as("%s delivered", c.transport)
          .isEmpty();
      assertThat(c.handshakes.get()).as("%s handshook again", c.transport).isGreaterThan(1);
    }
    assertThat(rest.failures).as("failed REST requests").isEmpty();
    String metrics =
        await(cluster.http().get(survivor.port(), "127.0.0.1", "/metrics").send()).bodyAsString();
    assertThat(metrics).contains("hachat_webapi_connections_refused_total 0.0");
    String survivorName = victimName.equals("gms1") ? "gms2" : "gms1";
    assertThat(
            Math.max(
                haproxy.counter("webapi", survivorName, "smax"),
                haproxy.counter("webapi_cometd", survivorName, "smax")))
        .as("HAProxy held more connections to the survivor than one address may")
        .isGreaterThan(2);
    theChecksCatchWhatTheyAreFor(
        rest, readers.get(widgets.get(0).chatId()), acked, cometd.get(0), readers);

    assertThat(firstOkAfterKill).as("chats with a success after the kill").hasSize(widgets.size());
    List<String> cometdChats = cometd.stream().map(CometdCustomer::chatId).toList();
    List<Long> restTimes = sortedMillis(firstOkAfterKill, id -> !cometdChats.contains(id));
    List<Long> cometdTimes = sortedMillis(firstOkAfterKill, cometdChats::contains);
    System.out.printf(
        "HAPROXY FAILOVER RESULT chats=%d (rest=%d cometd=long-polling+websocket) acked=%d"
            + " lost=0 dup=0 rest_requests=%d rest_failed=%d haproxy_retries=%d"
            + " haproxy_redispatches=%d cometd_connect_failures=%d cometd_resends=%d"
            + " detect_ms=%d kill_to_next_ok_ms rest_p50=%d rest_max=%d cometd=%s%n",
        widgets.size(),
        REST_CHATS,
        total,
        rest.attempts.get(),
        rest.failures.size(),
        haproxy.counter("webapi", "BACKEND", "wretr")
            + haproxy.counter("webapi_cometd", "BACKEND", "wretr"),
        haproxy.counter("webapi", "BACKEND", "wredis")
            + haproxy.counter("webapi_cometd", "BACKEND", "wredis"),
        cometd.stream().mapToInt(c -> c.connectFailures.get()).sum(),
        cometd.stream().mapToInt(c -> c.resends.get()).sum(),
        detectMs,
        restTimes.get(restTimes.size() / 2),
        restTimes.get(restTimes.size() - 1),
        cometdTimes);
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  /** The same checks on doctored copies of real data: each must report what was done to it. */
  private static void theChecksCatchWhatTheyAreFor(
      WidgetRestCustomers rest,
      WidgetRestCustomers.Chat chat,
      Map<String, List<String>> acked,
      CometdCustomer cometd,
      Map<String, WidgetRestCustomers.Chat> readers)
      throws Exception {
    JsonArray real = rest.transcript(chat);
    List<String> mine = acked.get(chat.chatId);
    JsonArray dropped = real.copy();
    int last = lastMessage(dropped);
    String lostText = dropped.getJsonObject(last).getString("text");
    dropped.remove(last);
    assertThat(TranscriptCheck.problems(dropped, mine)).contains("lost: " + lostText);
    JsonArray doubled = real.copy();
    doubled.add(doubled.getJsonObject(last).copy().put("index", doubled.size() + 1));
    assertThat(TranscriptCheck.problems(doubled, mine)).contains("doubled (2x): " + lostText);

    JsonArray cometdTranscript = rest.transcript(readers.get(cometd.chatId()));
    List<JsonObject> missing = new ArrayList<>(cometd.delivered);
    missing.remove(missing.size() - 1);
    assertThat(TranscriptCheck.deliveryProblems(missing, cometdTranscript))
        .anyMatch(p -> p.endsWith("delivered 0 times"));
    List<JsonObject> twice = new ArrayList<>(cometd.delivered);
    twice.add(twice.get(0));
    assertThat(TranscriptCheck.deliveryProblems(twice, cometdTranscript))
        .contains("index " + twice.get(0).getLong("index") + " delivered 2 times");
  }

  private static List<Long> sortedMillis(
      Map<String, Long> nanosByChat, java.util.function.Predicate<String> which) {
    return nanosByChat.entrySet().stream()
        .filter(e -> which.test(e.getKey()))
        .map(e -> TimeUnit.NANOSECONDS.toMillis(e.getValue()))
        .sorted()
        .toList();
  }

  private static int lastMessage(JsonArray transcript) {
    for (int k = transcript.size() - 1; k >= 0; k--) {
      if ("Message".equals(transcript.getJsonObject(k).getString("type"))) {
        return k;
      }
    }
    throw new AssertionError("no message in " + transcript);
  }

  private static Widget restWidget(WidgetRestCustomers rest, WidgetRestCustomers.Chat c) {
    return new Widget() {
      @Override
      public String chatId() {
        return c.chatId;
      }

      @Override
      public void send(String messageId, String text) throws Exception {
        rest.send(c, messageId, text);
      }

      @Override
      public void awaitText(String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (rest.refresh(c).stream()
            .map(JsonObject.class::cast)
            .noneMatch(m -> text.equals(m.getString("text")))) {
          assertThat(System.nanoTime()).as("%s sees %s", c.chatId, text).isLessThan(deadline);
          TimeUnit.MILLISECONDS.sleep(100); // the widget's poll interval
        }
      }
    };
  }

  private static Widget cometdWidget(CometdCustomer c) {
    return new Widget() {
      @Override
      public String chatId() {
        return c.chatId();
      }

      @Override
      public void send(String messageId, String text) throws Exception {
        c.send(messageId, text);
      }

      @Override
      public void awaitText(String text) throws Exception {
        c.awaitDelivered(text, 60);
      }
    };
  }

  private static long uncheckedCounter(String backend, String server, String column) {
    try {
      return haproxy.counter(backend, server, column);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
