package dev.hachat.systemtest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * TCP from the test JVM to the servers inside a {@link NetNamespace}, which the JVM cannot reach:
 * its loopback is not theirs. A file-system Unix socket is the one thing both sides see, so the
 * relay has two halves:
 *
 * <ul>
 *   <li>{@link #main} runs inside the namespace ({@code ip netns exec NS java …}): it listens on
 *       the socket file and, for each connection, reads one line {@code host:port} and connects
 *       there, then copies bytes both ways; a line {@code PROXY …} or {@code DELAY …} instead
 *       starts or slows a delaying proxy inside ({@link #proxy}, {@link #delay});
 *   <li>{@link #expose} runs in the test JVM: it listens on a host loopback address and sends each
 *       connection through the socket file to a fixed inside address.
 * </ul>
 *
 * <p>Exposing an inside {@code 127.0.0.x:p} at the same address on the host keeps every address a
 * server hands out (a redirect to its peer's ESP port) valid for the test's clients. The relay's
 * own inside connections come from 127.0.0.1, an address no fault rule names, so a cut between two
 * servers never cuts a client. Needs only the JDK: the namespace half runs from {@code
 * test-classes} alone.
 *
 * <p>Threading: one thread accepts per listener, two copy per connection (blocking channels).
 */
public final class NetnsRelay implements AutoCloseable {
  static final String READY = "NETNS RELAY READY";

  private final Path socket;
  private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
  private volatile boolean closed;
  private Process inside;

  /** The test JVM's half, sending through {@code socket}. */
  NetnsRelay(Path socket) {
    this.socket = socket;
  }

  /**
   * Starts the namespace's half inside {@code net} (from test-classes alone: it needs only the JDK)
   * with its socket file in {@code dir}; the test JVM's half. Closing it ends both.
   */
  public static NetnsRelay start(NetNamespace net, Path dir) throws Exception {
    Path socket = dir.resolve("relay.sock");
    Path classes = InstanceProcess.home().resolve("test/target/test-classes");
    List<String> cmd = new ArrayList<>(net.prefix());
    cmd.addAll(
        List.of(
            InstanceProcess.javaBin(),
            "-Xmx32m",
            "-cp",
            classes.toString(),
            NetnsRelay.class.getName(),
            socket.toString()));
    Process p = ProcessLauncher.launch(cmd, "netns-relay", Pattern.compile(READY)).process();
    NetnsRelay relay = new NetnsRelay(socket);
    relay.inside = p;
    return relay;
  }

  /** The namespace's half: {@code java NetnsRelay SOCKET_FILE}. */
  public static void main(String[] args) throws IOException {
    Path path = Path.of(args[0]);
    Files.deleteIfExists(path);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    System.out.println(READY);
    System.out.flush();
    while (true) {
      SocketChannel in = server.accept();
      daemon(
          () -> {
            try {
              String line = readLine(in);
              if (line.startsWith("PROXY ")
                  || line.startsWith("DELAY ")
                  || line.startsWith("BRIDGE ")) {
                command(line.split(" "));
                in.write(ByteBuffer.wrap("OK\n".getBytes(StandardCharsets.US_ASCII)));
                in.close();
                return;
              }
              pipe(in, SocketChannel.open(address(line)));
            } catch (IOException | RuntimeException e) {
              closeQuietly(in);
            }
          },
          "relay-in");
    }
  }

  /** The namespace half's delaying proxies, by listening address ({@code host:port}). */
  private static final Map<String, AtomicLong> DELAYS = new ConcurrentHashMap<>();

  /**
   * {@code PROXY LISTEN TARGET}: listens inside on {@code LISTEN} and connects each connection on
   * to {@code TARGET} from {@code LISTEN}'s host, delaying every chunk each way by the proxy's
   * delay (0 at first). {@code DELAY LISTEN MS}: sets that delay.
   */
  private static void command(String[] words) throws IOException {
    if (words[0].equals("DELAY")) {
      DELAYS.get(words[1]).set(Long.parseLong(words[2]));
      return;
    }
    if (words[0].equals("BRIDGE")) {
      bridgeIn(address(words[1]), Path.of(words[2]));
      return;
    }
    String listen = words[1];
    InetSocketAddress target = address(words[2]);
    AtomicLong delay = new AtomicLong();
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(address(listen));
    DELAYS.put(listen, delay);
    daemon(
        () -> {
          while (true) {
            try {
              SocketChannel client = server.accept();
              SocketChannel out = SocketChannel.open();
              out.bind(new InetSocketAddress(address(listen).getHostString(), 0));
              out.connect(target);
              delayedCopy(client, out, delay);
              delayedCopy(out, client, delay);
            } catch (IOException e) {
              // a connection that failed to open: the client sees it closed
            }
          }
        },
        "proxy-" + listen);
  }

  /**
   * Copies {@code from} to {@code to}, each chunk written {@code delay} ms after it was read, in
   * order; when either side ends, both are closed. The sleeps pace the fault, they synchronise
   * nothing.
   */
  private static void delayedCopy(SocketChannel from, SocketChannel to, AtomicLong delay) {
    record Chunk(long dueNanos, ByteBuffer bytes) {}
    Chunk end = new Chunk(0, null);
    BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    daemon(
        () -> {
          try {
            while (true) {
              ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
              if (from.read(buf) < 0) {
                break;
              }
              buf.flip();
              queue.add(new Chunk(System.nanoTime() + delay.get() * 1_000_000, buf));
            }
          } catch (IOException e) {
            // one side went away
          } finally {
            queue.add(end);
          }
        },
        "proxy-read");
    daemon(
        () -> {
          try {
            for (Chunk c = queue.take(); c != end; c = queue.take()) {
              long wait = c.dueNanos() - System.nanoTime();
              if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
              }
              while (c.bytes().hasRemaining()) {
                to.write(c.bytes());
              }
            }
          } catch (IOException | InterruptedException e) {
            // one side went away
          } finally {
            closeQuietly(from);
            closeQuietly(to);
          }
        },
        "proxy-write");
  }

  /** Inside: listens on {@code listen}, each connection goes on through the socket file. */
  private static void bridgeIn(InetSocketAddress listen, Path file) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(listen);
    daemon(
        () -> {
          while (true) {
            try {
              SocketChannel client = server.accept();
              SocketChannel out = SocketChannel.open(StandardProtocolFamily.UNIX);
              out.connect(UnixDomainSocketAddress.of(file));
              pipe(client, out);
            } catch (IOException e) {
              // a connection that failed to open: the client sees it closed
            }
          }
        },
        "bridge-" + listen);
  }

  /**
   * The other way round: a port on the host ({@code hostTarget}, {@code host:port}) reachable
   * inside the namespace at {@code listen} ({@code host:port}), through the socket file {@code
   * file} (created here): what a process inside reaches there is the host's server.
   */
  public void bridge(String listen, String hostTarget, Path file) throws IOException {
    Files.deleteIfExists(file);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(file));
    open.add(server);
    daemon(
        () -> {
          while (!closed) {
            try {
              SocketChannel in = server.accept();
              open.add(in);
              SocketChannel out = SocketChannel.open(address(hostTarget));
              open.add(out);
              pipe(in, out);
            } catch (IOException e) {
              if (closed) {
                return;
              }
            }
          }
        },
        "bridge-out-" + hostTarget);
    tell("BRIDGE " + listen + " " + file);
  }

  private static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  /**
   * Starts a delaying proxy inside the namespace on {@code listen} ({@code host:port}) to {@code
   * target}: connections to it go on to the target from {@code listen}'s address, so a fault rule
   * can tell the proxied path from others. Its delay is 0 until {@link #delay}.
   */
  void proxy(String listen, String target) throws IOException {
    tell("PROXY " + listen + " " + target);
  }

  /** Delays every chunk through the proxy on {@code listen} by {@code millis}, each way. */
  void delay(String listen, long millis) throws IOException {
    tell("DELAY " + listen + " " + millis);
  }

  private void tell(String command) throws IOException {
    try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      c.connect(UnixDomainSocketAddress.of(socket));
      c.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
      String answer = readLine(c);
      if (!answer.equals("OK")) {
        throw new IOException("relay: " + command + " answered " + answer);
      }
    }
  }

  /**
   * Listens on the host at {@code host:port} (port 0: a free one) and relays every connection to
   * {@code target} ({@code host:port} inside the namespace); the port it listens on.
   */
  public int expose(String host, int port, String target) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    try {
      server.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      server.close();
      throw new IOException(
          "cannot listen on the host at " + host + ":" + port + " for " + target, e);
    }
    open.add(server);
    daemon(
        () -> {
          while (!closed) {
            SocketChannel client;
            try {
              client = server.accept();
            } catch (IOException e) {
              return; // closed
            }
            open.add(client);
            try {
              SocketChannel through = SocketChannel.open(StandardProtocolFamily.UNIX);
              open.add(through);
              through.connect(UnixDomainSocketAddress.of(socket));
              through.write(ByteBuffer.wrap((target + "\n").getBytes(StandardCharsets.US_ASCII)));
              pipe(client, through);
            } catch (IOException e) {
              closeQuietly(client);
            }
          }
        },
        "relay-" + host + ":" + port);
    return ((InetSocketAddress) server.getLocalAddress()).getPort();
  }

  /** Copies both ways; when either side ends, both are closed. */
  private static void pipe(SocketChannel a, SocketChannel b) {
    daemon(() -> copy(a, b), "relay-copy");
    daemon(() -> copy(b, a), "relay-copy");
  }

  private static void copy(SocketChannel from, SocketChannel to) {
    ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
    try {
      while (from.read(buf) >= 0) {
        buf.flip();
        while (buf.hasRemaining()) {
          to.write(buf);
        }
        buf.clear();
      }
    } catch (IOException e) {
      // one side went away
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static String readLine(SocketChannel in) throws IOException {
    StringBuilder line = new StringBuilder();
    ByteBuffer one = ByteBuffer.allocate(1);
    while (true) {
      one.clear();
      if (in.read(one) < 0) {
        throw new IOException("relay: no target line");
      }
      char c = (char) one.get(0);
      if (c == '\n') {
        return line.toString();
      }
      line.append(c);
    }
  }

  private static void daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // already closed
    }
  }

  /** Stops listening and drops every relayed connection of this half. */
  @Override
  public void close() {
    closed = true;
    open.forEach(NetnsRelay::closeQuietly);
    open.clear();
    if (inside != null) {
      inside.destroyForcibly();
      try {
        inside.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      inside = null;
    }
  }
}
