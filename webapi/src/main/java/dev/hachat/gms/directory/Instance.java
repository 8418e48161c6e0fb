package dev.hachat.gms.directory;

import dev.hachat.store.InstanceRecord;

/**
 * One instance as this web API server sees it now.
 *
 * @param record its last registry record
 * @param alive its heartbeat counter moved within the heartbeat timeout (on this server's clock)
 * @param suspect a call to it failed at the transport level a moment ago
 * @param heartbeatAgeMillis milliseconds since its heartbeat counter last moved, on this clock
 * @param placedSinceHeartbeat new chats this web API server sent it since its record last changed
 *     (its {@code sessions} figure does not count them yet)
 */
public record Instance(
    InstanceRecord record,
    boolean alive,
    boolean suspect,
    long heartbeatAgeMillis,
    int placedSinceHeartbeat) {
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

  /**
   * Sessions against {@code limit-for-sessions}, 0..1 (more when over the limit), counting the new
   * chats sent to it since its last heartbeat, so that a burst of new chats between two heartbeats
   * spreads over the instances instead of piling onto the one that looked emptiest.
   */
  public double load() {
    return record.limit() <= 0
        ? placedSinceHeartbeat * 1e-9 // no limit: still prefer the one given fewer chats lately
        : (double) (record.sessions() + placedSinceHeartbeat) / record.limit();
  }
}
