package dev.hachat.gms.directory;

import dev.hachat.store.InstanceRecord;

/**
 * One instance as this web API server sees it now.
 *
 * @param record its last registry record
 * @param alive its heartbeat counter moved within the heartbeat timeout (on this server's clock)
 * @param suspect a call to it failed at the transport level a moment ago
 * @param heartbeatAgeMillis milliseconds since its heartbeat counter last moved, on this clock
 */
public record Instance(
    InstanceRecord record, boolean alive, boolean suspect, long heartbeatAgeMillis) {
  public String id() {
    return record.instanceId();
  }

  /** host:port of its webapi port. */
  public String webapi() {
    return record.webapi();
  }

  /** Alive, enabled ({@code normal} state) and below its session limit. */
  public boolean takesNewChats() {
    return alive
        && !suspect
        && "normal".equals(record.state())
        && (record.limit() <= 0 || record.sessions() < record.limit());
  }

  /** Sessions against {@code limit-for-sessions}, 0..1 (more when over the limit). */
  public double load() {
    return record.limit() <= 0 ? 0 : (double) record.sessions() / record.limit();
  }
}
