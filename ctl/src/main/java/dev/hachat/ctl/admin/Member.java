package dev.hachat.ctl.admin;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One instance as an instance's {@code GET /cluster} lists it: its registry record and whether the
 * answering instance considers it alive.
 *
 * @param state what its last heartbeat record says ({@code normal}, {@code disabled}, {@code
 *     draining}, {@code evacuating}, {@code stopping}, {@code stopped} …)
 * @param heartbeat its heartbeat counter (it moves while the instance lives)
 * @param startedAt the process start, epoch milliseconds
 */
public record Member(
    String id,
    boolean self,
    boolean alive,
    String state,
    long sessions,
    long limit,
    String webapi,
    String esp,
    String admin,
    long heartbeat,
    long startedAt,
    String version) {

  /** The state of the last record of an instance that stopped cleanly. */
  public static final String STOPPED = "stopped";

  static Member of(JsonNode i) {
    return new Member(
        i.path("instanceId").asText(),
        i.path("self").asBoolean(false),
        i.path("alive").asBoolean(false),
        i.path("state").asText(""),
        i.path("sessions").asLong(0),
        i.path("limit").asLong(0),
        i.path("webapi").asText(""),
        i.path("esp").asText(""),
        i.path("admin").asText(""),
        i.path("heartbeat").asLong(0),
        i.path("startedAt").asLong(0),
        i.path("version").asText(""));
  }

  /**
   * The state an operator should read: the record's, or {@code failed} when the heartbeats stopped
   * without a clean stop (as the web API servers' state table says, docs/state-table.md).
   */
  public String displayState() {
    return !alive && !STOPPED.equals(state) ? "failed" : state;
  }
}
