package dev.hachat.store.spi;

import dev.hachat.store.InstanceRecord;
import io.vertx.core.Future;
import java.util.List;

/**
 * The shared table of chat-server instances, kept in the same store as the transcripts so that "the
 * store is reachable" and "my heartbeat is visible" go together. Records that stop being refreshed
 * expire 60 s after their last heartbeat in every backend (Cassandra by the table's TTL, PostgreSQL
 * and memory by the time of the last write), so a dead instance disappears by itself. {@code
 * InstanceRegistryContract} in this module's test-jar is the behaviour every backend must have.
 */
public interface InstanceRegistry {
  /** Writes (upserts) this instance's record. */
  Future<Void> heartbeat(InstanceRecord record);

  /** Every registered instance. */
  Future<List<InstanceRecord>> list();

  /** Removes an instance's record (graceful stop). */
  Future<Void> remove(String instanceId);
}
