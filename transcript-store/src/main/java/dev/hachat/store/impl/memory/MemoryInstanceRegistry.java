package dev.hachat.store.impl.memory;

import dev.hachat.store.InstanceRecord;
import dev.hachat.store.spi.InstanceRegistry;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The in-memory registry, shared by the engines of one process (tests). Thread-safe. */
public final class MemoryInstanceRegistry implements InstanceRegistry {
  private final ConcurrentHashMap<String, InstanceRecord> records = new ConcurrentHashMap<>();

  @Override
  public Future<Void> heartbeat(InstanceRecord record) {
    records.put(record.instanceId(), record);
    return Future.succeededFuture();
  }

  @Override
  public Future<List<InstanceRecord>> list() {
    return Future.succeededFuture(new ArrayList<>(records.values()));
  }

  @Override
  public Future<Void> remove(String instanceId) {
    records.remove(instanceId);
    return Future.succeededFuture();
  }
}
