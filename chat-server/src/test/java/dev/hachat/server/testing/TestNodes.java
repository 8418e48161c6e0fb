package dev.hachat.server.testing;

import static dev.hachat.testing.Await.await;

import dev.hachat.server.ChatServer;
import dev.hachat.server.cluster.Membership;
import dev.hachat.server.config.ChatServerOptions;
import dev.hachat.server.config.HaOptions;
import dev.hachat.server.config.OpsOptions;
import dev.hachat.server.config.SessionOptions;
import dev.hachat.server.config.TranscriptOptions;
import dev.hachat.server.metrics.Kpi;
import dev.hachat.server.session.AfterClose;
import dev.hachat.server.session.ChatEngine;
import dev.hachat.server.session.Ha;
import dev.hachat.store.InstanceRecord;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.spi.InstanceRegistry;
import dev.hachat.store.spi.TranscriptStore;
import dev.hachat.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Chat-server instances in one JVM, on one Vert.x, sharing one transcript store and one in-memory
 * instance registry, for tests of what happens between instances:
 *
 * <ul>
 *   <li>{@link #node}: an {@link InProcessNode}, an engine in a cluster with its membership, on the
 *       hand-moved {@link #clock()} (wall and monotonic); its heartbeats and polls run only in
 *       {@link #advance} and {@link #tickNow}, so restore and quarantine are decided step by step;
 *   <li>{@link #startServer}: a whole {@link ChatServer} ({@link ChatServer#startInProcess}), every
 *       port on port 0, heartbeating on real clocks.
 * </ul>
 *
 * {@link #close()} stops the servers and closes the Vert.x instance. Used from the test threads
 * only; the nodes themselves are thread-safe as in production.
 */
public final class TestNodes implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final TranscriptStore store;
  private final InstanceRegistry registry = TranscriptStores.inMemoryRegistry();
  private final ManualClock clock = new ManualClock();
  private final dev.hachat.store.spi.RoomStore rooms = dev.hachat.store.room.RoomStores.inMemory();
  private final HaOptions ha = new HaOptions(); // interval 500 ms, timeout 3000 ms
  private final List<ChatServer> servers = new CopyOnWriteArrayList<>();
  private long handOverTimeoutMillis = OpsOptions.DEFAULT_HAND_OVER_TIMEOUT;
  private String host;

  private TestNodes(TranscriptStore store) {
    this.store = store;
  }

  /** Instances over a fresh in-memory store. */
  public static TestNodes inMemory() {
    return new TestNodes(TranscriptStores.inMemory());
  }

  /** Instances over {@code store} (a store with fault switches, say). */
  public static TestNodes over(TranscriptStore store) {
    return new TestNodes(store);
  }

  /**
   * How long a hand-over of a node may take ({@code ops.hand-over-timeout}); before {@link #node}.
   */
  public TestNodes handOverTimeout(long millis) {
    this.handOverTimeoutMillis = millis;
    return this;
  }

  /**
   * The host a node's registry record gives for its ports ({@code host:1} webapi, {@code :2} ESP,
   * {@code :3} admin); by default the node's id.
   */
  public TestNodes addressesOn(String host) {
    this.host = host;
    return this;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** An ESP client on {@code s}'s port, logged in as {@code agentId} (open mode). */
  public Future<dev.hachat.esp.client.EspClient> espAgent(ChatServer s, String agentId) {
    return dev.hachat.esp.client.EspClient.connect(
            vertx,
            new dev.hachat.esp.client.EspClientOptions().setHost("127.0.0.1").setPort(s.espPort()))
        .compose(c -> c.login(agentId, agentId.toUpperCase(), null).map(v -> c));
  }

  /** The room store the servers of {@link #startServer} share. */
  public dev.hachat.store.spi.RoomStore rooms() {
    return rooms;
  }

  public TranscriptStore store() {
    return store;
  }

  public InstanceRegistry registry() {
    return registry;
  }

  public ManualClock clock() {
    return clock;
  }

  /** The HA options of every node (defaults). */
  public HaOptions ha() {
    return ha;
  }

  /**
   * A started node: its engine on one loop (inactivity control off), its first heartbeat written,
   * so it holds a lease in quarantine. Calling it again with an id is a restart under that id.
   */
  public InProcessNode node(String id) throws Exception {
    Kpi kpi = new Kpi(new SimpleMeterRegistry());
    SessionOptions sessionOptions = GenerousLimits.sessionOptions();
    sessionOptions.getInactivityControl().setEnabled(false);
    ChatEngine[] engine = new ChatEngine[1];
    String at = host == null ? id : host;
    Membership membership =
        new Membership(
            vertx,
            registry,
            ha,
            id,
            () ->
                new InstanceRecord(
                    id,
                    at + ":1",
                    at + ":2",
                    at + ":3",
                    engine[0].state().wireName(),
                    engine[0].activeSessions(),
                    1000,
                    0,
                    0,
                    "test"),
            clock.nanos(),
            () -> engine[0].onLeaseLost());
    engine[0] =
        ChatEngine.create(
            vertx,
            id,
            store,
            sessionOptions,
            new TranscriptOptions(),
            kpi,
            clock,
            Ha.cluster(membership, ha, handOverTimeoutMillis),
            AfterClose.deleteRecords(store));
    await(engine[0].start(1));
    await(membership.start(false));
    return new InProcessNode(id, engine[0], membership, kpi);
  }

  /**
   * Moves the clock by {@code millis}, one heartbeat interval at a time, and lets the given
   * (living) nodes heartbeat and poll at each step.
   */
  public void advance(long millis, InProcessNode... alive) throws Exception {
    long step = ha.getHeartbeatInterval();
    for (long t = 0; t < millis; t += step) {
      clock.advanceMillis(step);
      tickNow(alive);
    }
  }

  /** Lets the given nodes tick once without moving the clock (a resumed process's first tick). */
  public void tickNow(InProcessNode... nodes) throws Exception {
    List<Future<Void>> ticks = new ArrayList<>();
    for (InProcessNode n : nodes) {
      ticks.add(n.membership().tick());
    }
    // A tick that failed (its heartbeat write, say) is the membership's business, not the test's.
    await(Future.join(ticks).transform(ar -> Future.succeededFuture()));
  }

  /**
   * Starts a whole instance over the shared store and registry, with {@link #serverOptions}; it is
   * stopped by {@link #close()}.
   */
  public Future<ChatServer> startServer(String id, Map<String, String> settings) {
    return ChatServer.startInProcess(
            vertx,
            serverOptions(id, settings),
            new TranscriptStores.Backend(store, registry),
            rooms)
        .onSuccess(servers::add);
  }

  /**
   * The options of an in-process instance: its id, every port 0, the memory store, no contact
   * history, no practical limit of new chats per address, then {@code settings} (full names, {@code
   * hachat.ha.heartbeat-interval} say).
   */
  public static ChatServerOptions serverOptions(String id, Map<String, String> settings) {
    Map<String, String> all = new HashMap<>();
    all.put("hachat.instance-id", id);
    all.put("hachat.webapi.port", "0");
    all.put("hachat.esp.port", "0");
    all.put("hachat.admin.port", "0");
    all.put("hachat.store.type", "memory");
    all.put("hachat.ucs.enabled", "false");
    // Tests open many chats from 127.0.0.1; WebApiNewChatLimitTest tests the limit itself.
    all.put("hachat.webapi.new-chats-per-minute", "1000000");
    all.put("hachat.webapi.new-chats-burst", "100000");
    all.putAll(settings);
    return ChatServerOptions.loader().load(null, Map.of(), all);
  }

  /** Stops the servers started here, then closes the Vert.x instance. */
  @Override
  public void close() throws Exception {
    for (ChatServer s : servers) {
      await(s.stop());
    }
    await(vertx.close());
  }
}
