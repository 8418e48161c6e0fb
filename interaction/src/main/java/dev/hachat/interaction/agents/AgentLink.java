package dev.hachat.interaction.agents;

import io.vertx.core.json.JsonObject;

/** One desktop's connection, as the switchboard writes to it. Any thread. */
public interface AgentLink {
  /** Sends an event frame. */
  void event(String event, JsonObject body);

  /** Closes the connection with a WebSocket close code. */
  void close(short code, String reason);
}
