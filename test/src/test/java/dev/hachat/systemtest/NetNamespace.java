package dev.hachat.systemtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private network namespace of the test's own ({@code ip netns add hachat-<random>}, loopback
 * up), where every process of a scenario runs on its own 127.0.0.x and network faults are injected
 * with nftables. Every {@code ip}, {@code nft} and {@code tc} command runs inside it ({@code ip
 * netns exec}); the host's own network settings are never touched. Needs root and {@code
 * /usr/sbin/nft} ({@code test/ops/install.sh nftables} installs it).
 *
 * <p>Faults live in one table, {@code ip hachat}, in the output hook (every packet between two
 * loopback addresses passes it once): {@link #cut} drops both directions between two addresses,
 * {@link #cutOneWay} one, {@link #lose} a random share of both, {@link #heal} removes every rule.
 * Closing deletes the namespace (the caller first ends the processes it started in it).
 *
 * <p>Loss is nftables' {@code numgen random}, not {@code tc netem}: the kernels this suite runs on
 * may be built without netem (and without the prio qdisc), and nftables needs nothing more than the
 * cuts do. There is no delay fault for the same reason.
 */
public final class NetNamespace implements AutoCloseable {
  private static final String TABLE = "hachat";

  /** A counter as nft lists it, and whether its rule drops. */
  private static final Pattern COUNTER =
      Pattern.compile("counter packets (\\d+) bytes \\d+( drop)?");

  private final String name;

  private NetNamespace(String name) {
    this.name = name;
  }

  /** Creates {@code hachat-<random>} with loopback up; fails loudly if that is not permitted. */
  public static NetNamespace create() throws IOException, InterruptedException {
    byte[] r = new byte[4];
    new SecureRandom().nextBytes(r);
    NetNamespace ns = new NetNamespace("hachat-" + HexFormat.of().formatHex(r));
    run(List.of("ip", "netns", "add", ns.name));
    try {
      ns.exec("ip", "link", "set", "lo", "up");
      ns.exec("nft", "add", "table", "ip", TABLE);
      ns.exec(
          "nft",
          "add chain ip " + TABLE + " out { type filter hook output priority 0; policy accept; }");
    } catch (IOException | RuntimeException e) {
      ns.close();
      throw e;
    }
    return ns;
  }

  String name() {
    return name;
  }

  /**
   * What runs a command inside: {@code ip netns exec NAME} (it execs, so PIDs stay the command's).
   */
  public List<String> prefix() {
    return List.of("ip", "netns", "exec", name);
  }

  /** Runs a command inside and waits; its output. Fails with the output if it exits non-zero. */
  String exec(String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(prefix());
    cmd.addAll(List.of(command));
    return run(cmd);
  }

  /** Drops every packet between {@code a} and {@code b}, both ways (one nft transaction). */
  public void cut(String a, String b) throws IOException, InterruptedException {
    exec("nft", drop(a, b) + "; " + drop(b, a));
  }

  /** Drops every packet from {@code from} to {@code to}; the other way still passes. */
  public void cutOneWay(String from, String to) throws IOException, InterruptedException {
    exec("nft", drop(from, to));
  }

  private static String drop(String from, String to) {
    return "add rule ip " + TABLE + " out ip saddr " + from + " ip daddr " + to + " drop";
  }

  /**
   * Drops about {@code percent} % of the packets between {@code a} and {@code b}, each direction
   * and each packet drawn at random, and counts them ({@link #lossCounts}).
   */
  public void lose(String a, String b, int percent) throws IOException, InterruptedException {
    if (percent < 1 || percent > 99) {
      throw new IllegalArgumentException("loss of " + percent + " %: 1 to 99 (a cut is 100)");
    }
    exec("nft", loss(a, b, percent) + "; " + loss(b, a, percent));
  }

  private static String loss(String from, String to, int percent) {
    String match = "add rule ip " + TABLE + " out ip saddr " + from + " ip daddr " + to;
    return match + " counter; " + match + " numgen random mod 100 < " + percent + " counter drop";
  }

  /**
   * What the {@link #lose} rules counted since they were added: {@code [packets between the two,
   * packets dropped]}.
   */
  long[] lossCounts() throws IOException, InterruptedException {
    long[] counts = new long[2];
    Matcher m = COUNTER.matcher(rules());
    while (m.find()) {
      counts[m.group(2) == null ? 0 : 1] += Long.parseLong(m.group(1));
    }
    return counts;
  }

  /** Removes every fault rule. */
  public void heal() throws IOException, InterruptedException {
    exec("nft", "flush", "chain", "ip", TABLE, "out");
  }

  /** The fault rules as nft lists them (for failure messages). */
  public String rules() throws IOException, InterruptedException {
    return exec("nft", "list", "table", "ip", TABLE);
  }

  /** Deletes the namespace (its rules go with it). */
  @Override
  public void close() throws IOException, InterruptedException {
    run(List.of("ip", "netns", "del", name));
  }

  private static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + " did not finish within 30 s");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(
          String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + text.strip());
    }
    return text;
  }
}
