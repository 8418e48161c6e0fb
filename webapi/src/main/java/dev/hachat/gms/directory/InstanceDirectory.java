package dev.hachat.gms.directory;

import dev.hachat.gms.config.DirectoryOptions;
import dev.hachat.store.InstanceRecord;
import dev.hachat.store.spi.InstanceRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the instance registry and judges liveness the way instances judge each other: an instance
 * is alive while its heartbeat counter changed less than {@code heartbeat-timeout} ago on this
 * process's monotonic clock (no two machines' clocks are compared), and until it wrote its last
 * record on a graceful stop (state {@code stopped}). Newly seen instances count as alive. Callers
 * also report transport failures ({@link #suspect}), which keep an instance out of new-chat
 * selection for a moment even before its heartbeats stop.
 *
 * <p>Threading: {@link #poll} runs on one event loop (a periodic timer); the view lives in a
 * concurrent map that any thread reads.
 */
public final class InstanceDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceDirectory.class);

  private final Vertx vertx;
  private final InstanceRegistry registry;
  private final DirectoryOptions options;
  private final long suspectNanos;
  private final LongSupplier nanos;
  private final Map<String, Seen> view = new ConcurrentHashMap<>();
  private final Map<String, Long> suspectUntil = new ConcurrentHashMap<>();
  private final Map<String, Integer> placed = new ConcurrentHashMap<>();
  private final Map<String, Seen> webApiServers = new ConcurrentHashMap<>();
  private long timer = -1;
  private volatile boolean polledOnce;

  private record Seen(InstanceRecord record, long changedAtNanos) {}

  public InstanceDirectory(
      Vertx vertx,
      InstanceRegistry registry,
      DirectoryOptions options,
      long suspectMillis,
      LongSupplier nanos) {
    this.vertx = vertx;
    this.registry = registry;
    this.options = options;
    this.suspectNanos = TimeUnit.MILLISECONDS.toNanos(suspectMillis);
    this.nanos = nanos;
  }

  /** Reads the registry once (so the view is filled when this completes) and keeps polling. */
  public Future<Void> start() {
    Promise<Void> first = Promise.promise();
    poll().onComplete(ar -> first.complete());
    timer = vertx.setPeriodic(options.getPollInterval(), id -> poll());
    return first.future();
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** One read of the registry; failures keep the last view (liveness then decays with time). */
  Future<Void> poll() {
    return registry
        .list()
        .onSuccess(this::update)
        .onFailure(e -> LOG.warn("cannot read the instance registry: {}", e.toString()))
        .mapEmpty();
  }

  private void update(List<InstanceRecord> all) {
    long now = nanos.getAsLong();
    List<InstanceRecord> records = all.stream().filter(r -> !r.isWebApiServer()).toList();
    for (InstanceRecord r : all) {
      if (r.isWebApiServer()) {
        webApiServers.compute(
            r.instanceId(),
            (id, old) ->
                old == null || old.record().heartbeat() != r.heartbeat()
                    ? new Seen(r, now)
                    : new Seen(r, old.changedAtNanos()));
      }
    }
    webApiServers.keySet().removeIf(id -> all.stream().noneMatch(r -> r.instanceId().equals(id)));
    for (InstanceRecord r : records) {
      view.compute(
          r.instanceId(),
          (id, old) -> {
            if (old == null || old.record().heartbeat() != r.heartbeat()) {
              placed.remove(id); // its new record counts the chats sent to it so far
              return new Seen(r, now);
            }
            return new Seen(r, old.changedAtNanos());
          });
    }
    view.keySet().removeIf(id -> records.stream().noneMatch(r -> r.instanceId().equals(id)));
    placed.keySet().retainAll(view.keySet());
    polledOnce = true;
  }

  /** Whether the registry was read at least once. */
  public boolean ready() {
    return polledOnce;
  }

  /** Every web API server in the registry (this one too), as instances are judged. */
  public List<Instance> webApiServers() {
    long now = nanos.getAsLong();
    List<Instance> out = new ArrayList<>();
    webApiServers.values().forEach(s -> out.add(instance(s, now)));
    out.sort(Comparator.comparing(Instance::id));
    return out;
  }

  /** Every known instance. */
  public List<Instance> all() {
    long now = nanos.getAsLong();
    List<Instance> out = new ArrayList<>();
    view.values().forEach(s -> out.add(instance(s, now)));
    out.sort(Comparator.comparing(Instance::id));
    return out;
  }

  public Optional<Instance> get(String instanceId) {
    Seen s = instanceId == null ? null : view.get(instanceId);
    return s == null ? Optional.empty() : Optional.of(instance(s, nanos.getAsLong()));
  }

  /** The instance whose webapi address is {@code hostPort}. */
  public Optional<Instance> byWebapi(String hostPort) {
    return all().stream().filter(i -> i.webapi().equals(hostPort)).findFirst();
  }

  /**
   * Instances for a new chat, best first: those taking new chats by load (ties broken at random so
   * several web API servers spread their picks).
   */
  public List<Instance> forNewChat() {
    List<Instance> out = new ArrayList<>(all().stream().filter(Instance::takesNewChats).toList());
    java.util.Collections.shuffle(out);
    out.sort(Comparator.comparingDouble(Instance::load));
    return out;
  }

  /**
   * Instances that may serve (or restore) an existing chat, best first: alive and not suspect, then
   * alive but suspect; dead ones never.
   */
  public List<Instance> forExistingChat() {
    List<Instance> out = new ArrayList<>(all().stream().filter(Instance::alive).toList());
    java.util.Collections.shuffle(out);
    out.sort(Comparator.comparing(Instance::suspect).thenComparingDouble(Instance::load));
    return out;
  }

  /** A new chat is being sent to this instance: it counts in its load until its next heartbeat. */
  public void placing(String instanceId) {
    placed.merge(instanceId, 1, Integer::sum);
  }

  /** A call to this instance failed at the transport level (refused, reset, timed out). */
  public void suspect(String instanceId) {
    suspectUntil.put(instanceId, nanos.getAsLong() + suspectNanos);
  }

  private Instance instance(Seen s, long now) {
    // A record saying the instance stopped gracefully is its last one: no use waiting for it.
    boolean alive =
        !s.record().stopped()
            && now - s.changedAtNanos()
                < TimeUnit.MILLISECONDS.toNanos(options.getHeartbeatTimeout());
    Long until = suspectUntil.get(s.record().instanceId());
    boolean suspect = until != null && now - until < 0;
    return new Instance(
        s.record(),
        alive,
        suspect,
        TimeUnit.NANOSECONDS.toMillis(now - s.changedAtNanos()),
        placed.getOrDefault(s.record().instanceId(), 0));
  }
}
