package dev.hachat.store;

import java.util.Objects;

/**
 * One chat-server instance as the registry knows it. {@code heartbeat} is a counter the instance
 * raises with every heartbeat; others judge liveness by watching it change on their own clock, so
 * no two machines' clocks are ever compared.
 *
 * @param instanceId the instance
 * @param webapi host:port of its webapi port
 * @param esp host:port of its ESP port
 * @param admin host:port of its admin port
 * @param state e.g. {@code normal}, {@code disabled}, {@code stopping}
 * @param sessions open sessions it holds
 * @param limit its {@code limit-for-sessions}
 * @param heartbeat the heartbeat counter
 * @param startedAt milliseconds since the epoch, UTC (informational)
 * @param version build version (informational)
 */
public record InstanceRecord(
    String instanceId,
    String webapi,
    String esp,
    String admin,
    String state,
    int sessions,
    int limit,
    long heartbeat,
    long startedAt,
    String version) {
  /**
   * The {@code state} of the last record an instance writes when it stops gracefully: it holds no
   * lease any more, so others may restore its chats at once.
   */
  public static final String STOPPED = "stopped";

  /**
   * Web API servers heartbeat into the same registry, for the state table, under their id with this
   * prefix; chat-server instances and new-chat selection ignore these rows.
   */
  public static final String WEB_API_SERVER_PREFIX = "webapi/";

  /** True for a web API server's row ({@link #WEB_API_SERVER_PREFIX}), not an instance's. */
  public boolean isWebApiServer() {
    return instanceId.startsWith(WEB_API_SERVER_PREFIX);
  }

  /** True for the record of an instance that stopped gracefully ({@link #STOPPED}). */
  public boolean stopped() {
    return STOPPED.equals(state);
  }

  public InstanceRecord {
    Objects.requireNonNull(instanceId, "instanceId");
  }
}
