package dev.hachat.store.spi;

import dev.hachat.store.InstanceRecord;
import io.vertx.core.Future;
import java.util.List;

/**
 * The shared table of chat-server instances, kept in the same store as the transcripts so that "the
 * store is reachable" and "my heartbeat is visible" go together. Records that stop being refreshed
 * expire (backends use a TTL), so a dead instance disappears by itself.
 */
public interface InstanceRegistry {
  /** Writes (upserts) this instance's record. */
  Future<Void> heartbeat(InstanceRecord record);

  /** Every registered instance. */
  Future<List<InstanceRecord>> list();

  /** Removes an instance's record (graceful stop). */
  Future<Void> remove(String instanceId);
}
