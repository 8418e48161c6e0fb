package dev.hachat.gms.cometd;

import static dev.hachat.testing.Await.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A GMS-style widget written with the CometD JavaScript client (npm {@code cometd} 9.0.0 with
 * {@code cometd-nodejs-client} 2.0.0) runs on Node against the endpoint over both transports:
 * subscribe, requestChat, sendMessage, a pushed agent message, disconnect, no duplicate index. The
 * test installs its npm packages into {@code target/cometd-node}; it is skipped only when {@code
 * node} is not on the PATH.
 */
@ExtendWith(VertxExtension.class)
class CometdNodeClientTest {

  private static final Path DIR = Path.of("target", "cometd-node");

  private InMemoryChatService chats;
  private CometdEndpoint endpoint;
  private HttpServer server;
  private Process node;

  @BeforeAll
  static void install() throws Exception {
    Assumptions.assumeTrue(
        onPath("node") && onPath("npm"),
        "node/npm not on the PATH: skipping the Node CometD client test");
    Files.createDirectories(DIR);
    for (String file : List.of("package.json", "client.mjs")) {
      try (InputStream in = resource("cometd-node/" + file)) {
        Files.copy(in, DIR.resolve(file), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (!Files.isDirectory(DIR.resolve("node_modules/cometd-nodejs-client"))) {
      Process npm =
          new ProcessBuilder("npm", "install", "--no-audit", "--no-fund")
              .directory(DIR.toFile())
              .redirectErrorStream(true)
              .redirectOutput(DIR.resolve("npm-install.log").toFile())
              .start();
      assertThat(npm.waitFor(180, TimeUnit.SECONDS)).as("npm install finished").isTrue();
      assertThat(npm.exitValue()).as("npm install, see " + DIR + "/npm-install.log").isZero();
    }
  }

  @BeforeEach
  void start(Vertx vertx) {
    chats = new InMemoryChatService(vertx);
    endpoint = CometdEndpoint.create(vertx, chats, new CometdOptions());
    Router router = Router.router(vertx);
    endpoint.mount(router);
    server = join(vertx.createHttpServer().requestHandler(router).listen(0));
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.destroyForcibly();
    }
    join(endpoint.close());
    join(server.close());
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "long-polling"})
  void a_node_widget_chats_over_the_endpoint(String transport) throws Exception {
    String url = "http://localhost:" + server.actualPort() + CometdOptions.DEFAULT_PATH;
    node =
        new ProcessBuilder("node", "client.mjs", url, transport, BayeuxTestClient.SERVICE)
            .directory(DIR.toFile())
            .redirectErrorStream(true)
            .start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> readLines(node.getInputStream(), lines), "node-stdout");
    reader.setDaemon(true);
    reader.start();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> lines.stream().anyMatch(l -> l.startsWith("READY ") || l.startsWith("FAIL")));
    assertThat(lines).noneMatch(l -> l.startsWith("FAIL"));
    join(chats.agentSays(chats.lastChatId(), "hi from the agent"));

    assertThat(node.waitFor(20, TimeUnit.SECONDS)).as("node finished: " + lines).isTrue();
    reader.join(5_000);
    assertThat(node.exitValue()).as("node exit, output " + lines).isZero();
    assertThat(lines).contains("AGENT hi from the agent", "DONE " + transport);
  }

  private static void readLines(InputStream in, List<String> lines) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      lines.add("FAIL reading node output: " + e);
    }
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  private static InputStream resource(String name) {
    InputStream in = CometdNodeClientTest.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("missing test resource " + name);
    }
    return in;
  }
}
