package dev.hachat.server;

import dev.hachat.common.auth.Authenticator;
import dev.hachat.common.auth.PeerToken;
import dev.hachat.server.admin.AdminServer;
import dev.hachat.server.cluster.Membership;
import dev.hachat.server.config.ChatServerOptions;
import dev.hachat.server.config.HaOptions;
import dev.hachat.server.esp.EspServer;
import dev.hachat.server.history.FinalTranscripts;
import dev.hachat.server.instanceapi.WebApiServer;
import dev.hachat.server.metrics.InstanceGauges;
import dev.hachat.server.metrics.Kpi;
import dev.hachat.server.ops.Operations;
import dev.hachat.server.room.RoomService;
import dev.hachat.server.session.AfterClose;
import dev.hachat.server.session.ChatEngine;
import dev.hachat.server.session.EngineState;
import dev.hachat.server.session.Ha;
import dev.hachat.server.session.OrphanSweep;
import dev.hachat.server.session.ProactiveRestore;
import dev.hachat.store.ContactHistories;
import dev.hachat.store.InstanceRecord;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.room.RoomStores;
import dev.hachat.store.spi.ContactHistory;
import dev.hachat.store.spi.InstanceRegistry;
import dev.hachat.store.spi.RoomStore;
import dev.hachat.store.spi.TranscriptStore;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One chat-server instance: engine, store and the webapi, ESP and admin ports. */
public final class ChatServer {
  private static final Logger LOG = LoggerFactory.getLogger(ChatServer.class);

  private final Vertx vertx;
  private final String instanceId;
  private final TranscriptStore store;
  private final ChatEngine engine;
  private final WebApiServer webapi;
  private final EspServer esp;
  private final AdminServer admin;
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private final Membership membership;
  private final ContactHistory history;
  private final FinalTranscripts finals;
  private final OrphanSweep orphans;
  private final ProactiveRestore proactive;
  private final ChatServerOptions options;
  private final Operations ops;
  private final Authenticator auth;
  private final RoomService rooms;
  private final Kpi kpi;
  private Future<Void> stopping;
  private final long startedAt = System.currentTimeMillis();
  private volatile boolean serving;
  private boolean sharedVertx;
  private int webapiPort;
  private int espPort;
  private int adminPort;

  private ChatServer(
      Vertx vertx,
      ChatServerOptions options,
      TranscriptStore store,
      InstanceRegistry instanceRegistry,
      ContactHistory history,
      Authenticator auth,
      RoomStore roomStore) {
    this.vertx = vertx;
    this.auth = auth;
    this.instanceId =
        options.getInstanceId().isEmpty() ? randomInstanceId() : options.getInstanceId();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("instance", instanceId);
    new JvmMemoryMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    Kpi kpi = new Kpi(registry);
    this.kpi = kpi;
    kpi.storeAvailable(store::available);
    this.store = store;
    this.membership =
        new Membership(
            vertx,
            instanceRegistry,
            options.getHa(),
            instanceId,
            this::selfRecord,
            System::nanoTime,
            this::leaseLost);
    this.history = history;
    this.finals =
        history == null
            ? null
            : new FinalTranscripts(
                vertx,
                instanceId,
                store,
                history,
                options.getUcs(),
                kpi,
                Clock.systemUTC(),
                membership::isAlive,
                this::servedHere);
    this.engine =
        ChatEngine.create(
            vertx,
            instanceId,
            store,
            options.getSession(),
            options.getTranscript(),
            kpi,
            Clock.systemUTC(),
            Ha.cluster(membership, options.getHa(), options.getOps().getHandOverTimeout()),
            finals != null ? finals : AfterClose.deleteRecords(store));
    this.orphans = OrphanSweep.create(vertx, engine, store, membership, options.getHa());
    this.proactive = ProactiveRestore.create(vertx, engine, store, membership, options.getHa());
    PeerToken peerToken = new PeerToken(auth, options.getSecurity(), instanceId);
    this.ops =
        Operations.create(
            vertx, engine, options.getOps(), peerToken::header, options.getSecurity().clientTls());
    this.options = options;
    this.rooms =
        roomStore == null
            ? null
            : RoomService.create(
                vertx,
                instanceId,
                roomStore,
                true, // in-process instances sharing a store skip its close (sharedVertx)
                membership,
                options,
                kpi.rooms(),
                peerToken::header,
                options.getSecurity().clientTls());
    this.webapi = WebApiServer.create(vertx, engine, options.getWebapi(), auth);
    this.esp =
        EspServer.create(
            vertx,
            engine,
            options.getEsp(),
            auth,
            options.getSecurity().getLoginTimeout() * 1000L,
            rooms == null ? null : rooms.host(),
            rooms == null ? null : rooms.moves());
    this.admin =
        AdminServer.create(
            vertx,
            engine,
            options.getAdmin(),
            registry,
            () -> serving,
            membership,
            history == null ? null : history::read,
            ops,
            auth,
            rooms == null ? null : rooms.moves(),
            options.getRooms().getRebalance().getMaxMoves());
    InstanceGauges.register(
        registry,
        options.getSession().getLimitForSessions(),
        Arrays.stream(EngineState.values()).map(EngineState::wireName).toList(),
        () -> engine.state().wireName(),
        admin::acceptingChats);
  }

  /** Starts an instance on its own Vert.x; the Future completes when every port listens. */
  public static Future<ChatServer> start(ChatServerOptions options) {
    Vertx vertx = Vertx.vertx();
    Future<TranscriptStores.Backend> backend =
        TranscriptStores.open(vertx, options.getStore(), options.getUcs().getPostgres());
    // The contact history is not needed to chat: an unreachable PostgreSQL only delays final
    // writes (UCS-only mode needs it to start, as its store).
    Future<ContactHistory> history =
        options.getUcs().isEnabled()
            ? Future.succeededFuture(
                ContactHistories.postgresStartingAnyway(vertx, options.getUcs().getPostgres()))
            : Future.succeededFuture(null);
    Future<Authenticator> auth = Authenticator.create(vertx, options.getSecurity());
    Future<RoomStore> rooms = RoomService.openStore(vertx, options);
    return Future.all(backend, history, auth, rooms)
        .compose(
            all -> {
              TranscriptStores.Backend b = all.resultAt(0);
              ChatServer server =
                  new ChatServer(
                      vertx,
                      options,
                      b.store(),
                      b.registry(),
                      all.resultAt(1),
                      all.resultAt(2),
                      all.resultAt(3));
              return server.startPorts().map(v -> server);
            })
        .recover(e -> vertx.close().transform(ar -> Future.failedFuture(e)));
  }

  /**
   * Starts an instance on a given Vert.x with a given store and registry and no contact history:
   * several instances sharing one in-memory store in one process (tests of what sits in front of
   * the instances). {@link #stop()} then leaves {@code vertx} and the store open.
   */
  public static Future<ChatServer> startInProcess(
      Vertx vertx, ChatServerOptions options, TranscriptStores.Backend backend) {
    return startInProcess(
        vertx, options, backend, options.getRooms().isEnabled() ? RoomStores.inMemory() : null);
  }

  /**
   * As {@link #startInProcess(Vertx, ChatServerOptions, TranscriptStores.Backend)}, with the room
   * store the instances of the process share ({@code null}: no rooms); {@link #stop()} leaves it
   * open.
   */
  public static Future<ChatServer> startInProcess(
      Vertx vertx, ChatServerOptions options, TranscriptStores.Backend backend, RoomStore rooms) {
    return Authenticator.create(vertx, options.getSecurity())
        .compose(
            auth -> {
              ChatServer server =
                  new ChatServer(
                      vertx, options, backend.store(), backend.registry(), null, auth, rooms);
              server.sharedVertx = true;
              return server.startPorts().map(v -> server);
            });
  }

  private Future<Void> startPorts() {
    return engine
        .start(2 * Runtime.getRuntime().availableProcessors())
        .compose(v -> webapi.listen())
        .compose(
            p -> {
              webapiPort = p;
              return esp.listen();
            })
        .compose(
            p -> {
              espPort = p;
              return admin.listen();
            })
        .map(
            p -> {
              adminPort = p;
              return null;
            })
        .compose(v -> membership.start())
        // Ready only once the quarantine of the first lease is over (R7): before that it would
        // refuse every new chat and every restore.
        .compose(v -> membership.whenOutOfQuarantine())
        .map(
            v -> {
              if (finals != null) {
                finals.startSweeper();
              }
              if (options.getHa().getSessionRestorationMode() == HaOptions.RestorationMode.SIMPLE) {
                orphans.start();
                if (options.getHa().isProactiveRestore()) {
                  proactive.start();
                }
              }
              if (rooms != null) {
                rooms.start();
              }
              serving = true;
              LOG.info(
                  "[{}] serving: webapi port {}, ESP port {}, admin port {}, store {}",
                  instanceId,
                  webapiPort,
                  espPort,
                  adminPort,
                  store.name() + (history != null ? " + ucs" : ""));
              return null;
            });
  }

  /**
   * The graceful stop (SIGTERM): no new chats, drain up to {@code ops.stop-drain-time}, hand the
   * chats left to other instances (their last saves first), then {@link #stop()}: deregister,
   * close. Completes when the instance is stopped; the caller bounds it with {@code
   * ops.stop-timeout}.
   */
  public Future<Void> stopGracefully() {
    LOG.info(
        "[{}] graceful stop: {} open chats, drain up to {} ms",
        instanceId,
        engine.activeSessions(),
        options.getOps().getStopDrainTime());
    return ops.prepareStop(options.getOps().getStopDrainTime())
        .onSuccess(r -> LOG.info("[{}] chats handed over: {}", instanceId, r.encode()))
        .transform(ar -> handOverRooms())
        .transform(ar -> stop());
  }

  /** A clean stop hands every room over; it never destroys one. */
  private Future<Void> handOverRooms() {
    return rooms == null ? Future.succeededFuture() : rooms.handOverAll();
  }

  /** The operator procedures (drain, evacuate) of this instance. */
  public Operations operations() {
    return ops;
  }

  /**
   * Stops taking requests, closes the ports and the store, and ends the Vert.x instance. Chats
   * still held are left to be restored elsewhere. Idempotent.
   */
  public synchronized Future<Void> stop() {
    if (stopping != null) {
      return stopping;
    }
    stopping = doStop();
    return stopping;
  }

  private Future<Void> doStop() {
    serving = false;
    if (rooms != null) {
      rooms.stop();
    }
    membership.stop();
    orphans.stop();
    proactive.stop();
    if (finals != null) {
      finals.stop();
    }
    return membership
        .deregister()
        .recover(e -> Future.succeededFuture())
        .compose(v -> engine.stop())
        .compose(v -> ops.close())
        .compose(v -> webapi.close())
        .compose(v -> esp.close())
        .compose(v -> admin.close())
        .compose(v -> sharedVertx ? Future.<Void>succeededFuture() : store.shutdown())
        .compose(v -> history == null ? Future.succeededFuture() : history.shutdown())
        .compose(v -> rooms == null || sharedVertx ? Future.<Void>succeededFuture() : rooms.close())
        .eventually(
            () -> {
              gcMetrics.close();
              auth.close();
              return sharedVertx ? Future.succeededFuture() : vertx.close();
            });
  }

  public String instanceId() {
    return instanceId;
  }

  public int webapiPort() {
    return webapiPort;
  }

  public int espPort() {
    return espPort;
  }

  public int adminPort() {
    return adminPort;
  }

  public ChatEngine engine() {
    return engine;
  }

  /** The membership's lease-lost callback: the engine fences what it holds. */
  private void leaseLost() {
    kpi.leaseLost();
    engine.onLeaseLost();
    if (rooms != null) {
      rooms.onLeaseLost();
    }
  }

  private boolean servedHere(String chatId) {
    return engine.holds(chatId);
  }

  private InstanceRecord selfRecord() {
    String host = options.getWebapi().getHost();
    return new InstanceRecord(
        instanceId,
        host + ":" + webapiPort,
        options.getEsp().getHost() + ":" + espPort,
        options.getAdmin().getHost() + ":" + adminPort,
        engine.state().wireName(),
        engine.activeSessions(),
        options.getSession().getLimitForSessions(),
        0,
        startedAt,
        ChatServer.class.getPackage().getImplementationVersion() == null
            ? "dev"
            : ChatServer.class.getPackage().getImplementationVersion());
  }

  private static String randomInstanceId() {
    byte[] b = new byte[3];
    new SecureRandom().nextBytes(b);
    return "cs-" + HexFormat.of().formatHex(b);
  }
}
