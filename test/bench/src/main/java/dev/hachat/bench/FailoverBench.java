package dev.hachat.bench;

import dev.hachat.store.cassandra.CassandraCluster;
import dev.hachat.systemtest.InstanceProcess;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Failover time: K chats (customers on the webapi port, agents through {@code FailoverEspClient})
 * on one of three instances; kill -9 of it; every customer then sends its next message to a
 * survivor (following NOT_OWNER redirects, retrying after a random 100–500 ms). Per chat, the time
 * from the kill until the agent has that message ({@link FailoverRun}); lost and duplicated must be
 * 0.
 *
 * <p>{@code scripts/bench failover [--sessions 100] [--agents K/100] [--runs 1] [--baseline]
 * [--baseline-of proactive|gate] [--heartbeat-interval 500] [--heartbeat-timeout 3000] [--proactive
 * true] [--restore-concurrency 32] [--warm-up 200]}
 *
 * <p>{@code --runs N} repeats the whole measurement on fresh instances (one Cassandra node, a new
 * keyspace each) and prints the median and the spread of each figure; {@code --baseline} runs the
 * same with {@code ha.proactive-restore} off in every round (alternating which goes first), the
 * same-run baseline; with {@code --baseline-of gate} the baseline has the restore gate off instead
 * ({@code ha.restore-concurrency} far above the chats). Each run has a fourth instance die first
 * with {@code --warm-up} chats (200), unmeasured, so the survivors have run every path of a
 * failover before the measured one.
 */
public final class FailoverBench {
  /** What to run. */
  record Options(
      int sessions,
      int agents,
      int runs,
      boolean baseline,
      boolean proactive,
      String heartbeatInterval,
      String heartbeatTimeout,
      int warmUp,
      String baselineOf,
      String restoreConcurrency) {
    /** The restore gate "off": more places than any run has chats. */
    static final String GATE_OFF = "1000000";

    static Options parse(String[] args) {
      int sessions = Integer.parseInt(BenchSupport.arg(args, "sessions", "100"));
      return new Options(
          sessions,
          Integer.parseInt(
              BenchSupport.arg(args, "agents", String.valueOf(Math.max(1, sessions / 100)))),
          Integer.parseInt(BenchSupport.arg(args, "runs", "1")),
          List.of(args).contains("--baseline"),
          Boolean.parseBoolean(BenchSupport.arg(args, "proactive", "true")),
          BenchSupport.arg(args, "heartbeat-interval", null),
          BenchSupport.arg(args, "heartbeat-timeout", null),
          Integer.parseInt(BenchSupport.arg(args, "warm-up", "200")),
          BenchSupport.arg(args, "baseline-of", "proactive"),
          BenchSupport.arg(args, "restore-concurrency", null));
    }

    /** The same-run baseline of these options: proactive restore off, or the restore gate off. */
    Options baselineRun() {
      if (baselineOf.equals("gate")) {
        return copy(sessions, proactive, GATE_OFF);
      }
      if (!baselineOf.equals("proactive")) {
        throw new IllegalArgumentException("--baseline-of proactive|gate, not " + baselineOf);
      }
      return with(sessions, false);
    }

    /** "proactive" / "baseline" (proactive restore off) or "gated" / "gate-off". */
    String mode() {
      if (GATE_OFF.equals(restoreConcurrency)) {
        return "gate-off";
      }
      if (baselineOf.equals("gate")) {
        return "gated";
      }
      return proactive ? "proactive" : "baseline";
    }

    Options with(int sessions, boolean proactive) {
      return copy(sessions, proactive, restoreConcurrency);
    }

    private Options copy(int sessions, boolean proactive, String restoreConcurrency) {
      return new Options(
          sessions,
          Math.max(1, Math.min(agents, sessions)),
          runs,
          baseline,
          proactive,
          heartbeatInterval,
          heartbeatTimeout,
          warmUp,
          baselineOf,
          restoreConcurrency);
    }
  }

  private final BenchSupport.Store store;

  /** On a Cassandra node of its own. */
  FailoverBench() {
    this(BenchSupport.Store.OWN_NODE);
  }

  /** The data in {@code store}. */
  FailoverBench(BenchSupport.Store store) {
    this.store = store;
  }

  public static void main(String[] args) throws Exception {
    boolean ok = new FailoverBench().run(Options.parse(args));
    System.exit(ok ? 0 : 1);
  }

  /** One run of {@code sessions} chats, defaults otherwise, no warm-up (the smoke test's). */
  boolean run(int sessions) throws Exception {
    Options o =
        Options.parse(new String[] {"--sessions", String.valueOf(sessions), "--warm-up", "0"});
    try (CassandraCluster own = store.startOwn()) {
      return once(store.node(own), store.keyspace(), o).ok();
    }
  }

  boolean run(Options o) throws Exception {
    System.out.println("machine: " + BenchSupport.machine());
    System.out.println("options: " + o);
    Map<String, List<FailoverRun.Figures>> byMode = new LinkedHashMap<>();
    boolean ok = true;
    try (CassandraCluster own = store.startOwn()) {
      CassandraCluster cassandra = store.node(own);
      for (int round = 1; round <= o.runs(); round++) {
        List<Options> modes = new ArrayList<>(List.of(o));
        if (o.baseline()) {
          modes.add(round % 2 == 1 ? 1 : 0, o.baselineRun());
        }
        for (Options m : modes) {
          String keyspace = "bench_fo_" + round + (m == o ? "p" : "b");
          FailoverRun.Figures f = once(cassandra, keyspace, m);
          byMode.computeIfAbsent(m.mode(), k -> new ArrayList<>()).add(f);
          ok &= f.ok();
        }
      }
    }
    byMode.forEach((mode, runs) -> System.out.println(summary(o, mode, runs)));
    return ok;
  }

  private FailoverRun.Figures once(CassandraCluster cassandra, String keyspace, Options o)
      throws Exception {
    Map<String, String> props = BenchSupport.cassandraInstance(cassandra, keyspace);
    props.put("hachat.ha.proactive-restore", String.valueOf(o.proactive()));
    // Agents' desktops come from many addresses; here all --agents connections come from one.
    props.put(
        "hachat.esp.max-connections-per-address", String.valueOf(Math.max(64, 2 * o.agents())));
    if (o.heartbeatInterval() != null) {
      props.put("hachat.ha.heartbeat-interval", o.heartbeatInterval());
    }
    if (o.heartbeatTimeout() != null) {
      props.put("hachat.ha.heartbeat-timeout", o.heartbeatTimeout());
    }
    if (o.restoreConcurrency() != null) {
      props.put("hachat.ha.restore-concurrency", o.restoreConcurrency());
    }
    List<InstanceProcess> instances = new ArrayList<>();
    try {
      for (int i = o.warmUp() > 0 ? 0 : 1; i <= 3; i++) {
        List<String> jvm = new ArrayList<>(List.of("-Xmx1g"));
        String extra = System.getProperty("hachat.bench.instance-jvm-option"); // e.g. a profiler
        if (extra != null) {
          jvm.add(extra.replace("{id}", "bench-cs" + i));
        }
        // A log per run (test/target/instance-logs/<id>-<keyspace>.log), kept for the post-mortem.
        instances.add(
            InstanceProcess.start("bench-cs" + i, props, jvm, "bench-cs" + i + "-" + keyspace));
      }
      if (o.warmUp() > 0) {
        // Unmeasured: bench-cs0 dies with warmUp chats, so every path the measured failover
        // takes (restore, claim, re-attach, the next message) has run on the survivors first.
        FailoverRun.measure(instances, o.warmUp(), o.agents());
      }
      FailoverRun.Figures f =
          FailoverRun.measure(
              instances.subList(instances.size() - 3, instances.size()), o.sessions(), o.agents());
      System.out.println(f.result(o.mode()));
      return f;
    } finally {
      if (System.getProperty("hachat.bench.instance-jvm-option") != null) {
        for (InstanceProcess p : instances) {
          p.stop(); // SIGTERM: a profiler writes its recording at exit
        }
      }
      instances.forEach(BenchSupport::closeQuietly);
    }
  }

  /** The median and spread (min–max) over the runs of one mode. */
  static String summary(Options o, String mode, List<FailoverRun.Figures> runs) {
    return String.format(
        Locale.ROOT,
        "RESULT failover-summary: mode=%s sessions=%d heartbeat_timeout=%s runs=%d"
            + " p50_ms=%s p99_ms=%s max_ms=%s lost=%d duplicated=%d",
        mode,
        o.sessions(),
        o.heartbeatTimeout() == null ? "default" : o.heartbeatTimeout(),
        runs.size(),
        BenchSupport.spread(runs.stream().mapToDouble(FailoverRun.Figures::p50).toArray(), "%.0f"),
        BenchSupport.spread(runs.stream().mapToDouble(FailoverRun.Figures::p99).toArray(), "%.0f"),
        BenchSupport.spread(runs.stream().mapToDouble(FailoverRun.Figures::max).toArray(), "%.0f"),
        runs.stream().mapToInt(FailoverRun.Figures::lost).sum(),
        runs.stream().mapToInt(FailoverRun.Figures::duplicated).sum());
  }
}
