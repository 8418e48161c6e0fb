package dev.hachat.store.impl.memory;

import dev.hachat.store.InstanceRecord;
import dev.hachat.store.spi.InstanceRegistry;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory registry, shared by the engines of one process (tests). A record not refreshed for
 * {@link #TTL} is no longer listed, as the other backends' records expire. Thread-safe.
 */
public final class MemoryInstanceRegistry implements InstanceRegistry {
  /** How long a record stays listed after its last heartbeat (the other backends' TTL). */
  public static final Duration TTL = Duration.ofSeconds(60);

  private record Written(InstanceRecord record, long atMillis) {}

  private final ConcurrentHashMap<String, Written> records = new ConcurrentHashMap<>();
  private final Clock clock;

  public MemoryInstanceRegistry() {
    this(Clock.systemUTC());
  }

  /** A registry whose records expire by {@code clock} (tests move it by hand). */
  public MemoryInstanceRegistry(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<Void> heartbeat(InstanceRecord record) {
    records.put(record.instanceId(), new Written(record, clock.millis()));
    return Future.succeededFuture();
  }

  @Override
  public Future<List<InstanceRecord>> list() {
    long expiredBefore = clock.millis() - TTL.toMillis();
    List<InstanceRecord> out = new ArrayList<>();
    for (Written w : records.values()) {
      if (w.atMillis() > expiredBefore) {
        out.add(w.record());
      } else {
        records.remove(w.record().instanceId(), w); // unless a heartbeat replaced it meanwhile
      }
    }
    return Future.succeededFuture(out);
  }

  @Override
  public Future<Void> remove(String instanceId) {
    records.remove(instanceId);
    return Future.succeededFuture();
  }
}
