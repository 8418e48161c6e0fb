package dev.hachat.bench.plot;

import dev.hachat.bench.BenchSupport;
import dev.hachat.bench.plot.LineChart.Series;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Renders the PNGs of docs/benchmarks.md from the CSV files the benchmarks wrote: {@code load.csv}
 * and {@code load-gms.csv} (one row per offered rate) give latency against offered load; each
 * {@code failover-K.csv} (one row per chat) gives the distribution of failover times as a
 * cumulative curve.
 *
 * <p>{@code scripts/bench plot [--dir test/bench/target/results] [--out docs/img]}
 */
public final class PlotMain {
  private PlotMain() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(BenchSupport.arg(args, "dir", BenchSupport.resultsDir().toString()));
    Path out = Path.of(BenchSupport.arg(args, "out", "docs/img"));
    plotLoad(dir.resolve("load.csv"), "one instance", out.resolve("load-latency.png"));
    for (String via : List.of("gms", "cometd-lp", "cometd-ws")) {
      plotLoad(
          dir.resolve("load-" + via + ".csv"),
          "through a web API server, "
              + (via.equals("gms") ? "REST" : "CometD " + via.substring(7)),
          out.resolve("load-latency-" + via + ".png"));
    }
    List<Path> failovers;
    try (Stream<Path> files = Files.list(dir)) {
      failovers =
          files
              .filter(p -> p.getFileName().toString().matches("failover-\\d+\\.csv"))
              .sorted()
              .toList();
    }
    if (!failovers.isEmpty()) {
      failoverChart(failovers).writePng(out.resolve("failover-times.png"));
      System.out.println("wrote " + out.resolve("failover-times.png"));
    }
  }

  private static void plotLoad(Path csv, String path, Path png) throws IOException {
    if (Files.exists(csv)) {
      loadChart(readCsv(csv), path).writePng(png);
      System.out.println("wrote " + png);
    }
  }

  /**
   * Columns: offered, achieved, errors, ack_p50_ms, ack_p99_ms, delivered_p50_ms, delivered_p99_ms,
   * half.
   */
  static LineChart loadChart(List<String[]> rows, String path) {
    String[] names = {"send→ack p50", "send→ack p99", "send→delivered p50", "send→delivered p99"};
    LineChart chart =
        new LineChart(
            "Latency vs offered load (" + path + ", save per message)",
            "offered load (messages/s)",
            "latency (ms, log scale)",
            true,
            true);
    for (int k = 0; k < names.length; k++) {
      List<double[]> points = new ArrayList<>();
      for (String[] r : rows) {
        if (!"1".equals(r[7])) { // the repeat at half of the maximum is not a point of the curve
          points.add(new double[] {Double.parseDouble(r[0]), Double.parseDouble(r[3 + k])});
        }
      }
      chart.add(new Series(names[k], points));
    }
    return chart;
  }

  /** Each file: one row per chat, column 1 = ms from the kill until the agent had the message. */
  static LineChart failoverChart(List<Path> files) throws IOException {
    LineChart chart =
        new LineChart(
            "Failover time per chat after kill -9 of its instance",
            "seconds from the kill until the agent has the customer's next message",
            "chats resumed (%)",
            false,
            false);
    for (Path f : files) {
      List<Double> times = new ArrayList<>();
      for (String[] r : readCsv(f)) {
        times.add(Double.parseDouble(r[1]) / 1000.0);
      }
      times.sort(null);
      List<double[]> points = new ArrayList<>();
      points.add(new double[] {0, 0});
      for (int i = 0; i < times.size(); i++) {
        points.add(new double[] {times.get(i), 100.0 * i / times.size()});
        points.add(new double[] {times.get(i), 100.0 * (i + 1) / times.size()});
      }
      String name = f.getFileName().toString().replaceAll("\\D", "");
      chart.add(new Series(name + " chats", points));
    }
    return chart;
  }

  /** The rows of a CSV file with a header line and no quoting. */
  static List<String[]> readCsv(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    return lines.stream().skip(1).filter(l -> !l.isBlank()).map(l -> l.split(",")).toList();
  }
}
