package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * The processes of a {@link ClusterExtension} in front of its instances: web API servers {@code
 * gms1..gmsM} and interaction servers {@code ixn1..ixnK}, started after the instances and each
 * waited for until it sees every instance (a web API server lists each alive, an interaction server
 * is connected to each). A configuration file a spec gives as text is written next to the
 * processes' logs ({@code test/target/instance-logs}). Closing kills them all by PID.
 */
final class FrontTier implements AutoCloseable {
  /** How long set-up waits for a process to see every instance. */
  static final Duration SEEN_WITHIN = Duration.ofSeconds(60);

  private final List<WebApiProcess> webApis = new ArrayList<>();
  private final List<InteractionProcess> interactions = new ArrayList<>();

  private FrontTier() {}

  /** Starts what {@code spec} asks for with these properties; waits until each sees all. */
  static FrontTier start(
      ClusterSpec spec,
      Map<String, String> webApiProperties,
      Map<String, String> interactionProperties,
      WebClient http)
      throws Exception {
    FrontTier t = new FrontTier();
    try {
      Path gmsConfig = configFile("webapi", spec.webApiConfig());
      for (int i = 1; i <= spec.webApiServers(); i++) {
        t.webApis.add(WebApiProcess.start("gms" + i, webApiProperties, gmsConfig));
      }
      Path ixnConfig = configFile("interaction", spec.interactionConfig());
      for (int i = 1; i <= spec.interactionServers(); i++) {
        t.interactions.add(InteractionProcess.start("ixn" + i, interactionProperties, ixnConfig));
      }
      for (WebApiProcess g : t.webApis) {
        seen(g.id() + " sees " + spec.instances() + " live instances")
            .until(() -> aliveSeenBy(http, spec.secured(), g) == spec.instances());
      }
      for (InteractionProcess x : t.interactions) {
        seen(x.id() + " is connected to " + spec.instances() + " instances")
            .until(() -> health(http, x).getInteger("instances", 0) == spec.instances());
      }
    } catch (Exception | Error e) {
      try {
        t.close();
      } catch (InterruptedException c) {
        e.addSuppressed(c);
      }
      throw e;
    }
    return t;
  }

  private static org.awaitility.core.ConditionFactory seen(String what) {
    return Awaitility.await(what).atMost(SEEN_WITHIN).pollInterval(Duration.ofMillis(100));
  }

  private static Path configFile(String kind, String yaml) throws IOException {
    if (yaml == null) {
      return null;
    }
    Path dir = InstanceProcess.home().resolve("test/target/instance-logs");
    Files.createDirectories(dir);
    return Files.writeString(Files.createTempFile(dir, kind + "-", ".yaml"), yaml);
  }

  private static long aliveSeenBy(WebClient http, Secured secured, WebApiProcess g)
      throws Exception {
    return instancesSeenBy(http, secured, g).getJsonArray("instances").stream()
        .map(JsonObject.class::cast)
        .filter(i -> i.getBoolean("alive", false))
        .count();
  }

  /** A web API server's view of the instances ({@code GET /instances}), as the operator. */
  static JsonObject instancesSeenBy(WebClient http, Secured secured, WebApiProcess g)
      throws Exception {
    var request = http.get(g.port(), "127.0.0.1", "/instances");
    if (secured != null) {
      request.putHeader("Authorization", secured.operatorAuthorization());
    }
    return await(request.send()).bodyAsJsonObject();
  }

  /** An interaction server's {@code GET /health} ({@code instances}: connected to now). */
  static JsonObject health(WebClient http, InteractionProcess x) throws Exception {
    return await(http.get(x.port(), "127.0.0.1", "/health").send()).bodyAsJsonObject();
  }

  List<WebApiProcess> webApis() {
    return Collections.unmodifiableList(webApis);
  }

  List<InteractionProcess> interactions() {
    return Collections.unmodifiableList(interactions);
  }

  /** Kills the interaction servers, then the web API servers, by PID (each waited for). */
  @Override
  public void close() throws InterruptedException {
    try {
      for (InteractionProcess x : interactions) {
        x.close();
      }
    } finally {
      for (WebApiProcess g : webApis) {
        g.close();
      }
    }
  }
}
