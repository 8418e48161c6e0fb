package dev.hachat.interaction.instances;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.esp.client.EspClient;
import dev.hachat.esp.client.EspClientOptions;
import dev.hachat.esp.client.WaitingChat;
import dev.hachat.store.InstanceRecord;
import dev.hachat.store.spi.InstanceRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The interaction server's connections to the chat-server instances: every {@code
 * registry-poll-interval} it reads the instance registry and holds one ESP connection with the
 * {@code workflow} role to each instance listed (gracefully stopped ones and web API servers
 * aside), reconnecting on the next poll when one drops. Each connection reads the instance's
 * waiting chats at once and then follows its {@code chatWaiting}, {@code chatNoLongerWaiting} and
 * {@code chatLocated} events into {@link InstanceEvents}.
 *
 * <p>Threading: the poll runs on a Vert.x timer; the links are in a concurrent map, each changed by
 * the poll or by its own connection's close; events come on the connections' event loops.
 */
public final class InstanceLinks {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceLinks.class);

  /** One instance's connection, once it is logged in. */
  private record Link(String instanceId, String esp, Future<EspClient> client) {}

  private final Vertx vertx;
  private final InstanceRegistry registry;
  private final long pollIntervalMs;
  private final long heartbeatTimeoutNanos;
  private final java.util.function.LongSupplier nanoTime;
  private final String serverId;
  private final Supplier<String> token;
  private final InstanceEvents events;
  private final Map<String, Link> links = new ConcurrentHashMap<>();
  private volatile Map<String, String> espById = Map.of();

  /** The registry's rows at the last poll, and when each one's heartbeat last moved (nanos). */
  private volatile List<InstanceRecord> lastRecords = List.of();

  /** A heartbeat counter and when (nanos) this server first saw it at that value. */
  private record Beat(long counter, long seenAt) {}

  private final Map<String, Beat> beats = new ConcurrentHashMap<>();
  private long timer = -1;
  private volatile boolean stopped;

  /**
   * @param heartbeatTimeoutMs a row whose heartbeat has not moved this long is {@code failed} in
   *     the state table ({@code instance-heartbeat-timeout}, the instances' own timeout)
   * @param token a fresh workflow login token per connection; {@code null} for open-mode instances
   */
  public InstanceLinks(
      Vertx vertx,
      InstanceRegistry registry,
      long pollIntervalMs,
      long heartbeatTimeoutMs,
      String serverId,
      Supplier<String> token,
      InstanceEvents events) {
    this(
        vertx,
        registry,
        pollIntervalMs,
        heartbeatTimeoutMs,
        serverId,
        token,
        events,
        System::nanoTime);
  }

  /** As above, on the clock {@code nanoTime} (tests move it by hand). */
  InstanceLinks(
      Vertx vertx,
      InstanceRegistry registry,
      long pollIntervalMs,
      long heartbeatTimeoutMs,
      String serverId,
      Supplier<String> token,
      InstanceEvents events,
      java.util.function.LongSupplier nanoTime) {
    this.vertx = vertx;
    this.registry = registry;
    this.pollIntervalMs = pollIntervalMs;
    this.heartbeatTimeoutNanos =
        java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(heartbeatTimeoutMs);
    this.nanoTime = nanoTime;
    this.serverId = serverId;
    this.token = token;
    this.events = events;
  }

  /** Reads the registry now and then every interval. */
  public Future<Void> start() {
    timer = vertx.setPeriodic(pollIntervalMs, t -> poll());
    return poll();
  }

  /** ESP addresses of the instances connected now. */
  public List<String> endpoints() {
    return links.values().stream()
        .filter(l -> l.client().succeeded())
        .map(Link::esp)
        .sorted()
        .toList();
  }

  /** The ESP address the registry lists for an instance, or null. */
  public String espOf(String instanceId) {
    return espById.get(instanceId);
  }

  /** Instances connected now. */
  public int connected() {
    return (int) links.values().stream().filter(l -> l.client().succeeded()).count();
  }

  /**
   * Writes a system notice into a chat at the instance that announced it; fails when that instance
   * is not connected or no longer owns the chat (its next owner announces it again).
   */
  public Future<Void> notice(String instanceId, String chatId, String text) {
    Link l = links.get(instanceId);
    if (l == null) {
      return Future.failedFuture(
          new IllegalStateException("instance " + instanceId + " is not connected"));
    }
    return l.client().compose(c -> c.queueNotice(chatId, text)).mapEmpty();
  }

  /**
   * Stops a chat wherever it lives ({@code interactionStopped}, reason {@code
   * INTERACTION_STOPPED}): sent to any connected instance and on to the owner its {@code NOT_OWNER}
   * answer names (an instance restores an orphaned chat to stop it).
   */
  public Future<Void> interactionStopped(String chatId) {
    return links.values().stream()
        .filter(l -> l.client().succeeded())
        .findFirst()
        .map(l -> stopAt(l, chatId, 3))
        .orElseGet(
            () ->
                Future.failedFuture(
                    new ChatException(
                        ErrorCode.INSTANCE_UNAVAILABLE, "no chat-server instance is reachable")));
  }

  private Future<Void> stopAt(Link l, String chatId, int hops) {
    return l.client()
        .compose(c -> c.interactionStopped(chatId))
        .recover(
            e -> {
              Link owner =
                  e instanceof ChatException ce
                          && ce.code() == ErrorCode.NOT_OWNER
                          && ce.details() != null
                          && hops > 0
                      ? links.get(ce.details().getString("owner", ""))
                      : null;
              return owner == null ? Future.failedFuture(e) : stopAt(owner, chatId, hops - 1);
            });
  }

  public Future<Void> stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    List<Future<Void>> closing =
        links.values().stream()
            .map(l -> l.client().compose(EspClient::disconnect).otherwiseEmpty())
            .toList();
    links.clear();
    return Future.join(closing).mapEmpty();
  }

  /** One read of the registry; connects to instances new to it, forgets those gone from it. */
  Future<Void> poll() {
    if (stopped) {
      return Future.succeededFuture();
    }
    return registry
        .list()
        .onSuccess(this::reconcile)
        .onFailure(
            e -> LOG.warn("[{}] reading the instance registry failed: {}", serverId, e.toString()))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  /**
   * The state table as this server sees it: every row of the registry (instances and web API
   * servers) with its state, sessions, limit and version, how long ago its heartbeat last moved (on
   * this server's clock: no clocks compared), whether it is alive (moved within the heartbeat
   * timeout; a row that has not is {@code failed}, whatever state it last wrote), and whether this
   * server is connected to it.
   */
  public io.vertx.core.json.JsonArray stateTable() {
    io.vertx.core.json.JsonArray rows = new io.vertx.core.json.JsonArray();
    long now = nanoTime.getAsLong();
    for (InstanceRecord r : lastRecords) {
      Beat beat = beats.get(r.instanceId());
      Link l = links.get(r.instanceId());
      // Alive while its heartbeat moved, or was first seen here, within the timeout.
      boolean alive = beat == null || now - beat.seenAt() <= heartbeatTimeoutNanos;
      rows.add(
          new io.vertx.core.json.JsonObject()
              .put("id", r.instanceId())
              .put("kind", r.isWebApiServer() ? "webapi" : "instance")
              .put("state", alive || r.stopped() ? r.state() : "failed")
              .put("alive", alive)
              .put("sessions", r.sessions())
              .put("limit", r.limit())
              .put("version", r.version())
              .put(
                  "heartbeatAgeMs",
                  beat == null
                      ? -1
                      : java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(now - beat.seenAt()))
              .put("connected", l != null && l.client().succeeded()));
    }
    return rows;
  }

  private void reconcile(List<InstanceRecord> records) {
    long now = nanoTime.getAsLong();
    for (InstanceRecord r : records) {
      Beat beat = beats.get(r.instanceId());
      if (beat == null || beat.counter() != r.heartbeat()) {
        beats.put(r.instanceId(), new Beat(r.heartbeat(), now));
      }
    }
    beats.keySet().retainAll(records.stream().map(InstanceRecord::instanceId).toList());
    lastRecords = List.copyOf(records);
    List<InstanceRecord> live =
        records.stream().filter(r -> !r.isWebApiServer() && !r.stopped()).toList();
    espById =
        live.stream()
            .collect(
                Collectors.toUnmodifiableMap(
                    InstanceRecord::instanceId, InstanceRecord::esp, (a, b) -> a));
    Set<String> listed = live.stream().map(InstanceRecord::instanceId).collect(Collectors.toSet());
    for (Link l : List.copyOf(links.values())) {
      if (!listed.contains(l.instanceId()) && links.remove(l.instanceId(), l)) {
        l.client().onSuccess(EspClient::disconnect);
      }
    }
    for (InstanceRecord r : live) {
      Link known = links.get(r.instanceId());
      if (known == null || !known.esp().equals(r.esp())) {
        connect(r.instanceId(), r.esp());
      }
    }
  }

  private void connect(String instanceId, String esp) {
    int colon = esp.lastIndexOf(':');
    EspClientOptions o =
        new EspClientOptions()
            .setHost(esp.substring(0, colon))
            .setPort(Integer.parseInt(esp.substring(colon + 1)));
    Future<EspClient> client =
        EspClient.connect(vertx, o)
            .compose(
                c -> {
                  c.onChatWaiting(w -> events.waiting(w, instanceId, esp))
                      .onWaitingEnded(events::waitingEnded)
                      .onChatLocated(l -> events.located(l, esp))
                      .onChatInvited(i -> events.invited(i, esp))
                      .onDisconnected(code -> dropped(instanceId, c));
                  return c.login(serverId, "interaction", token == null ? null : token.get())
                      .compose(v -> c.listWaiting())
                      .map(
                          list -> {
                            for (WaitingChat w : list) {
                              events.waiting(w, instanceId, esp);
                            }
                            return c;
                          })
                      .onFailure(e -> c.disconnect());
                });
    Link link = new Link(instanceId, esp, client);
    Link before = links.put(instanceId, link);
    if (before != null) {
      before.client().onSuccess(EspClient::disconnect);
    }
    client
        .onSuccess(c -> LOG.info("[{}] connected to instance {} at {}", serverId, instanceId, esp))
        .onFailure(
            e -> {
              links.remove(instanceId, link); // the next poll tries again
              LOG.debug("[{}] instance {} at {}: {}", serverId, instanceId, esp, e.toString());
            });
  }

  private void dropped(String instanceId, EspClient client) {
    Link l = links.get(instanceId);
    if (l != null && l.client().succeeded() && l.client().result() == client) {
      links.remove(instanceId, l);
      LOG.info("[{}] lost instance {}", serverId, instanceId);
    }
  }
}
