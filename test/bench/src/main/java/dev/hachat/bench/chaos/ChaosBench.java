package dev.hachat.bench.chaos;

import static dev.hachat.bench.BenchSupport.await;

import dev.hachat.bench.BenchSupport;
import dev.hachat.bench.chaos.History.Party;
import dev.hachat.bench.chaos.HistoryChecker.Verdict;
import dev.hachat.esp.client.AcceptedChat;
import dev.hachat.esp.client.FailoverEspClient;
import dev.hachat.esp.client.FailoverEspClientOptions;
import dev.hachat.store.Entry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The chaos loop: K chat places, each holding one chat at a time (customer on the webapi port,
 * agent on the ESP port, both sending continuously; closed by the agent after a random number of
 * messages, then the next chat starts), through three instances while {@link FaultScheduler}
 * injects faults from a seed; then every fault is healed, the messages in flight are let finish
 * (bounded), both parties read every transcript, and {@link HistoryChecker} judges the history.
 * Prints one {@code CHAOS RESULT} line and exits non-zero if any invariant was broken or a client
 * got a non-retryable error.
 *
 * <p>{@code scripts/bench chaos [--duration 120s] [--seed N] [--sessions 20] [--net] [--overlap]
 * [--dense]}: with {@code --net} in a network namespace with network faults and instance clocks 5 s
 * off ({@link ChaosNet}; needs root, installs nftables and libfaketime when missing); with {@code
 * --overlap} the other faults go on while a Cassandra node restarts (about twice the faults per
 * hour); with {@code --dense} the gaps between faults are 0.5–1.5 s instead of 2–6 s.
 */
public final class ChaosBench {
  /** How long in-flight messages may still be resent after the faults are healed. */
  static final long SETTLE_SECONDS = 60;

  /** The outcome of one run: the checker's verdict, the faults, client failures, the line. */
  public record Result(Verdict verdict, String faults, List<String> failures, String line) {
    public boolean ok() {
      return verdict.ok() && failures.isEmpty();
    }
  }

  public static void main(String[] args) throws Exception {
    long seed =
        Long.parseLong(
            BenchSupport.arg(
                args, "seed", String.valueOf(ThreadLocalRandom.current().nextLong(1L << 40))));
    int duration = seconds(BenchSupport.arg(args, "duration", "120s"));
    int sessions = Integer.parseInt(BenchSupport.arg(args, "sessions", "20"));
    boolean networked = java.util.Arrays.asList(args).contains("--net");
    System.out.println("machine: " + BenchSupport.machine());
    ChaosLog log = new ChaosLog();
    boolean ok;
    try (ChaosCluster cluster = ChaosCluster.start(log, networked)) {
      ok =
          run(
                  cluster,
                  log,
                  seed,
                  duration,
                  sessions,
                  EnumSet.allOf(FaultScheduler.Kind.class),
                  new FaultScheduler.Pace(
                      java.util.Arrays.asList(args).contains("--overlap"),
                      java.util.Arrays.asList(args).contains("--dense")))
              .ok();
    }
    System.exit(ok ? 0 : 1);
  }

  /** {@code 120s}, {@code 2m} or {@code 120}. */
  static int seconds(String s) {
    s = s.trim();
    if (s.endsWith("m")) {
      return 60 * Integer.parseInt(s.substring(0, s.length() - 1));
    }
    return Integer.parseInt(s.endsWith("s") ? s.substring(0, s.length() - 1) : s);
  }

  /** One chaos run on a started cluster (healthy before and after it). */
  public static Result run(ChaosCluster cluster, ChaosLog log, long seed, int seconds, int sessions)
      throws Exception {
    return run(
        cluster,
        log,
        seed,
        seconds,
        sessions,
        EnumSet.allOf(FaultScheduler.Kind.class),
        FaultScheduler.Pace.DEFAULT);
  }

  /** Like {@link #run(ChaosCluster, ChaosLog, long, int, int)} with faults of these kinds only. */
  static Result run(
      ChaosCluster cluster,
      ChaosLog log,
      long seed,
      int seconds,
      int sessions,
      Set<FaultScheduler.Kind> kinds,
      FaultScheduler.Pace pace)
      throws Exception {
    log.log(
        "chaos run: seed=%d duration=%ds sessions=%d faults %s%s%s",
        seed,
        seconds,
        sessions,
        kinds,
        pace.overlap() ? " (Cassandra restarts overlap)" : "",
        pace.dense() ? " (dense)" : "");
    Vertx vertx = Vertx.vertx();
    try {
      return new ChaosBench(vertx, cluster, log).run(seed, seconds, sessions, kinds, pace);
    } finally {
      await(vertx.close());
    }
  }

  private final Vertx vertx;
  private final ChaosCluster cluster;
  private final ChaosLog log;
  private final History history = new History();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<ChaosChat> chats = new ConcurrentLinkedQueue<>();
  private FailoverEspClient desk;
  private volatile boolean stopping;

  private ChaosBench(Vertx vertx, ChaosCluster cluster, ChaosLog log) {
    this.vertx = vertx;
    this.cluster = cluster;
    this.log = log;
  }

  private Result run(
      long seed,
      int seconds,
      int sessions,
      Set<FaultScheduler.Kind> kinds,
      FaultScheduler.Pace pace)
      throws Exception {
    WebClient http = BenchSupport.http(vertx, 64);
    desk =
        await(
            FailoverEspClient.connect(
                vertx,
                new FailoverEspClientOptions()
                    .setEndpoints(cluster.espEndpoints())
                    .setAgentId("chaos-agent")
                    .setNickname("Agent")
                    .setRequestTimeout(3000)
                    .setFailoverTimeout(20_000)));
    ChaosChat.recordAgentView(desk, history);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long settle = end + TimeUnit.SECONDS.toNanos(SETTLE_SECONDS + 60); // healing takes time too
    List<Future<Void>> slots = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      slots.add(slot(http, i, settle));
    }
    log.log("%d chat slots started; faults start (seed %d)", sessions, seed);
    FaultScheduler faults = new FaultScheduler(seed, cluster, log, kinds, pace);
    try {
      faults.run(end);
    } finally {
      stopping = true;
      chats.forEach(ChaosChat::stopSending);
    }
    log.log("faults healed: %s; letting the messages in flight finish", faults.summary());
    try {
      await(Future.join(slots));
    } catch (Exception e) {
      failures.add("chats did not finish: " + e);
    }
    List<ChaosChat> all = List.copyOf(chats);
    long closed = all.stream().filter(ChaosChat::closed).count();
    log.log(
        "%d chats (%d closed by their agent); reading the final transcripts", all.size(), closed);
    Map<String, Map<Party, List<Entry>>> views =
        new FinalViews(vertx, http, desk, cluster.adminPorts(), failures::add).read(all);
    Verdict v = HistoryChecker.check(history, views);
    String line =
        String.format(
            "CHAOS RESULT seed=%d duration=%ds %s %s closed=%d failed=%d",
            seed, seconds, faults.summary(), v.counts(), closed, failures.size());
    v.problems().stream().limit(20).forEach(p -> log.log("PROBLEM %s", p));
    failures.stream().limit(20).forEach(f -> log.log("CLIENT FAILURE %s", f));
    System.out.println();
    System.out.println(line);
    return new Result(v, faults.summary(), List.copyOf(failures), line);
  }

  /**
   * One place for a chat: a customer requests a chat (at instance {@code i mod 3} first), the agent
   * accepts it, both send their quota, the agent closes it, and the next chat takes the place,
   * until the faults end.
   */
  private Future<Void> slot(WebClient http, int i, long settle) {
    if (stopping) {
      return Future.succeededFuture();
    }
    List<Integer> ports = cluster.webapiPorts();
    int quota = 15 + ThreadLocalRandom.current().nextInt(26);
    return ChaosCustomer.requestChat(vertx, http, ports, i % ports.size(), "c" + i, settle)
        .compose(
            c ->
                accept(c.chatId, settle)
                    .map(
                        a ->
                            new ChaosChat(
                                vertx,
                                c,
                                desk,
                                a.participantId(),
                                cluster,
                                history,
                                failures::add)))
        .compose(
            chat -> {
              chats.add(chat);
              if (stopping) {
                chat.stopSending();
              }
              return chat.run(settle, quota).map(v -> chat.closed());
            })
        .transform(
            ar -> {
              if (ar.failed()) {
                failures.add("chat slot " + i + ": " + ar.cause());
                return Future.succeededFuture();
              }
              return ar.result() ? slot(http, i, settle) : Future.succeededFuture();
            });
  }

  /** The desk retries within its failover timeout; this retries it until the deadline. */
  private Future<AcceptedChat> accept(String chatId, long deadline) {
    return Retry.untilDeadline(vertx, () -> desk.accept(chatId), deadline);
  }
}
