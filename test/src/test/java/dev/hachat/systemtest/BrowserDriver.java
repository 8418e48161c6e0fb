package dev.hachat.systemtest;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium on a page, driven by {@code test/browser/widget-driver.mjs} (Node with
 * playwright-core) as a child process: one JSON command per line to its stdin, one {@code REPLY
 * {json}} line back. {@link #install()} first installs what that needs ({@code
 * test/browser/install.sh}: Debian's Chromium, npm playwright-core) and fails the test with the
 * script's message if it cannot. Closing ends the Node process by PID (Chromium is its child).
 */
final class BrowserDriver implements AutoCloseable {
  private static final long REPLY_MARGIN_SECONDS = 30;

  private final Process node;
  private final Writer stdin;
  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

  private BrowserDriver(Process node) {
    this.node = node;
    this.stdin = new java.io.OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  if (line.startsWith("REPLY ")) {
                    replies.add(line.substring("REPLY ".length()));
                  } else {
                    System.out.println("[browser] " + line);
                  }
                }
              } catch (IOException e) {
                // the driver ended
              } finally {
                replies.add("{\"ok\":false,\"error\":\"the browser driver exited\"}");
              }
            },
            "browser-driver");
    pump.setDaemon(true);
    pump.start();
  }

  private static Path browserDir() {
    return InstanceProcess.home().resolve("test/browser");
  }

  /**
   * Installs Chromium and playwright-core when missing (apt-get and npm, as root); throws with the
   * installer's own message when that is impossible, so the test fails rather than skips.
   */
  static void install() throws IOException, InterruptedException {
    Path log = InstanceProcess.home().resolve("test/target/browser-install.log");
    java.nio.file.Files.createDirectories(log.getParent());
    Process p =
        new ProcessBuilder("bash", browserDir().resolve("install.sh").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean done = p.waitFor(15, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String out = java.nio.file.Files.readString(log);
    if (!done || p.exitValue() != 0) {
      throw new AssertionError(
          "cannot install the headless browser this test needs (test/browser/install.sh"
              + (done ? "" : " timed out after 15 minutes")
              + "):\n"
              + out);
    }
    System.out.print(out);
  }

  /** Starts Chromium on {@code url}; returns once the page is loaded. */
  static BrowserDriver open(String url) throws Exception {
    Process p =
        new ProcessBuilder("node", browserDir().resolve("widget-driver.mjs").toString(), url)
            .directory(browserDir().toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BrowserDriver d = new BrowserDriver(p);
    try {
      JsonObject ready = d.next(60);
      if (!ready.getBoolean("ready", false)) {
        throw new IllegalStateException("the browser did not start: " + ready.encode());
      }
      System.out.println("[browser] Chromium " + ready.getString("browser") + " on " + url);
    } catch (Exception | AssertionError e) {
      d.close();
      throw e;
    }
    return d;
  }

  /**
   * Runs one command ({@code cmd} plus its fields) and returns the reply; a failed command (a
   * timeout waiting for the page) is an {@link AssertionError} carrying the page's state.
   */
  JsonObject call(String cmd, Object... fields) throws Exception {
    JsonObject c = new JsonObject().put("cmd", cmd);
    for (int i = 0; i + 1 < fields.length; i += 2) {
      c.put((String) fields[i], fields[i + 1]);
    }
    long timeoutMs = c.getLong("timeoutMs", 60_000L);
    stdin.write(c.encode() + "\n");
    stdin.flush();
    JsonObject r = next(TimeUnit.MILLISECONDS.toSeconds(timeoutMs) + REPLY_MARGIN_SECONDS);
    if (!r.getBoolean("ok", false)) {
      throw new AssertionError("browser: " + cmd + " failed: " + r.encodePrettily());
    }
    return r;
  }

  private JsonObject next(long seconds) throws InterruptedException {
    String line = replies.poll(seconds, TimeUnit.SECONDS);
    if (line == null) {
      throw new AssertionError("no answer from the browser driver in " + seconds + " s");
    }
    return new JsonObject(line);
  }

  /** The page's transcript entries ({@code index, kind, who, text}) from a reply. */
  static List<JsonObject> transcript(JsonObject state) {
    return state.getJsonArray("transcript").stream().map(JsonObject.class::cast).toList();
  }

  @Override
  public void close() throws InterruptedException {
    if (node.isAlive()) {
      try {
        stdin.write("{\"cmd\":\"close\"}\n");
        stdin.flush();
      } catch (IOException e) {
        // already gone
      }
      if (!node.waitFor(15, TimeUnit.SECONDS)) {
        node.descendants().forEach(ProcessHandle::destroyForcibly);
        node.destroyForcibly();
        node.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
