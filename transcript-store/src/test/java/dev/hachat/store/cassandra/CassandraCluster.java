package dev.hachat.store.cassandra;

import dev.hachat.store.CassandraStoreOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Cassandra cluster (1 or 3 nodes on 127.0.0.x) for tests, started with the project's own
 * launcher {@code scripts/cassandra} on free ports, killed by PID on {@link #close()} or when the
 * JVM exits (its data is deleted then: nothing to stop gracefully for).
 */
public final class CassandraCluster implements AutoCloseable {
  private static final Pattern READY =
      Pattern.compile("CASSANDRA READY contact-points=(\\S+) dc=(\\S+) pids=(\\S+)");

  private static CassandraCluster shared;

  private final Path root;
  private final List<String> prefix;
  private final Path dir;
  private final int nodes;
  private final List<String> contactPoints;
  private final String datacenter;
  private final Thread cleanup;

  private CassandraCluster(Path root, List<String> prefix, Path dir, int nodes, Matcher ready) {
    this.root = root;
    this.prefix = List.copyOf(prefix);
    this.dir = dir;
    this.nodes = nodes;
    this.contactPoints = Arrays.asList(ready.group(1).split(","));
    this.datacenter = ready.group(2);
    this.cleanup = new Thread(this::stopQuietly, "cassandra-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  /** The repository root: the first folder above the working directory with scripts/cassandra. */
  public static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isExecutable(p.resolve("scripts/cassandra"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "scripts/cassandra not found above " + Path.of("").toAbsolutePath());
  }

  /**
   * One single node shared by every test of this JVM that only reads and writes (starting one takes
   * ~15 s); each test keeps its data apart in a keyspace of its own. Started on first use, stopped
   * by its shutdown hook when the JVM exits; never {@link #close()} it. Tests that stop or kill
   * nodes {@link #start} their own.
   */
  public static synchronized CassandraCluster shared() throws IOException, InterruptedException {
    if (shared == null) {
      shared = start(1);
    }
    return shared;
  }

  public static CassandraCluster start(int nodes) throws IOException, InterruptedException {
    return start(nodes, null);
  }

  /**
   * Like {@link #start(int)}, with {@code extraYaml} (settings the launcher's template lacks, e.g.
   * {@code client_encryption_options}) appended to every node's cassandra.yaml; {@code null}: none.
   */
  public static CassandraCluster start(int nodes, Path extraYaml)
      throws IOException, InterruptedException {
    return start(nodes, extraYaml, List.of(), "127.0.0.1");
  }

  /**
   * Like {@link #start(int, Path)}, with the launcher run behind {@code prefix} (e.g. {@code ip
   * netns exec NS}: the nodes run in that network namespace) and node k on {@code firstAddress}
   * with its last number raised by k-1.
   */
  public static CassandraCluster start(
      int nodes, Path extraYaml, List<String> prefix, String firstAddress)
      throws IOException, InterruptedException {
    Path root = root();
    Path dir = Files.createTempDirectory("hachat-cassandra-");
    int base = freePortBase();
    List<String> args =
        new ArrayList<>(
            List.of(
                "start",
                "--nodes",
                String.valueOf(nodes),
                "--dir",
                dir.toString(),
                "--port-base",
                String.valueOf(base),
                "--first-address",
                firstAddress));
    if (extraYaml != null) {
      args.addAll(List.of("--yaml", extraYaml.toString()));
    }
    String out;
    try {
      out = run(root, prefix, args.toArray(String[]::new));
    } catch (IOException | RuntimeException e) {
      run(
          root,
          List.of(),
          "stop",
          "--dir",
          dir.toString()); // nodes that did start must not outlive us
      deleteTree(dir);
      throw e;
    }
    Matcher m = READY.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("Cassandra did not start:\n" + out);
    }
    return new CassandraCluster(root, prefix, dir, nodes, m);
  }

  /** Store options that reach this cluster, with a request timeout for a loaded test machine. */
  public CassandraStoreOptions storeOptions() {
    return new CassandraStoreOptions()
        .setContactPoints(contactPoints)
        .setLocalDatacenter(datacenter)
        .setRequestTimeout(10_000);
  }

  public List<String> contactPoints() {
    return contactPoints;
  }

  public String datacenter() {
    return datacenter;
  }

  public int nodes() {
    return nodes;
  }

  /** kill -9 of node k (1-based). */
  public void killNode(int k) throws IOException, InterruptedException {
    run(root, List.of(), "kill-node", String.valueOf(k), "--dir", dir.toString());
  }

  /** SIGTERM of node k, waiting until it exited. */
  public void stopNode(int k) throws IOException, InterruptedException {
    run(root, List.of(), "stop-node", String.valueOf(k), "--dir", dir.toString());
  }

  /** Starts node k again with its data and waits until CQL answers. */
  public void startNode(int k) throws IOException, InterruptedException {
    run(root, prefix, "start-node", String.valueOf(k), "--dir", dir.toString());
  }

  @Override
  public void close() {
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // already shutting down
    }
  }

  private void stopQuietly() {
    try {
      // kill -9 (waited for): a graceful stop flushes data that is deleted next anyway, and takes
      // ~6 s a node instead of ~1.7 s
      run(root, List.of(), "stop", "--dir", dir.toString(), "--kill");
      deleteTree(dir); // the nodes are gone: their data and logs go too
    } catch (Exception e) {
      System.err.println("could not stop Cassandra in " + dir + ": " + e);
    }
  }

  /** Deletes a directory and everything in it (test data only). */
  public static void deleteTree(Path top) throws IOException {
    if (!Files.exists(top)) {
      return;
    }
    try (var paths = Files.walk(top)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static int freePortBase() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20000 + ThreadLocalRandom.current().nextInt(0, 9000) * 4;
      if (free(base)
          && free(base + 1)
          && free(base + 2)
          && free(base + 4)
          && free(base + 5)
          && free(base + 6)) {
        return base;
      }
    }
    throw new IOException("no free port range found");
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String run(Path root, List<String> prefix, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(root.resolve("scripts/cassandra").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true).start();
    StringBuilder out = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        out.append(line).append('\n');
      }
    }
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException(
          "scripts/cassandra " + String.join(" ", args) + " failed:\n" + out);
    }
    return out.toString();
  }
}
