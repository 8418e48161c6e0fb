package dev.hachat.interaction.leader;

import dev.hachat.interaction.agents.AgentFrames;
import dev.hachat.interaction.routing.AgentState;
import dev.hachat.interaction.routing.AgentView;
import dev.hachat.interaction.routing.ChatInfo;
import dev.hachat.interaction.routing.Offer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The peer link between interaction servers (docs/interaction.md, "Several interaction servers"): a
 * WebSocket from each server to the one holding the routing lease, at {@value #PATH} on its agent
 * API port, in the ESP envelope. The first request is {@value #OP_HELLO} (the server's id, the
 * epoch it expects and, with security on, a token with the peer role); then the calls of {@link
 * RouterAccess}; events back carry the router's decisions for the agents of that server.
 */
public final class PeerFrames {
  public static final String PATH = "/router";

  public static final String OP_HELLO = "hello";
  public static final String OP_ONLINE = "online";
  public static final String OP_OFFLINE = "offline";
  public static final String OP_FORGET = "forget";
  public static final String OP_SET_STATE = "setState";
  public static final String OP_ACCEPTING = "accepting";
  public static final String OP_REJECT = "reject";
  public static final String OP_ACCEPT_DONE = "acceptDone";
  public static final String OP_CHAT_ENDED = "chatEnded";
  public static final String OP_RELEASED = "released";
  public static final String OP_LEFT = "left";

  public static final String EVENT_OFFER = "offer";
  public static final String EVENT_REVOKED = "offerRevoked";
  public static final String EVENT_STATE = "state";
  public static final String EVENT_MOVED = "agentMoved";

  private PeerFrames() {}

  public static JsonObject chat(ChatInfo c) {
    return new JsonObject()
        .put("chatId", c.chatId())
        .put("queue", c.queue())
        .put("customer", c.customer())
        .put("subject", c.subject())
        .put("userData", new JsonObject(new LinkedHashMap<>(c.userData())))
        .put("createdAt", c.createdAt())
        .put("instanceId", c.instanceId())
        .put("esp", c.esp());
  }

  public static ChatInfo chat(JsonObject j) {
    Map<String, String> userData = new LinkedHashMap<>();
    j.getJsonObject("userData", new JsonObject())
        .forEach(e -> userData.put(e.getKey(), String.valueOf(e.getValue())));
    return new ChatInfo(
        j.getString("chatId"),
        j.getString("queue"),
        j.getString("customer", ""),
        j.getString("subject", ""),
        userData,
        j.getLong("createdAt", 0L),
        j.getString("instanceId", ""),
        j.getString("esp", ""));
  }

  public static JsonObject offer(Offer o) {
    return new JsonObject()
        .put("offerId", o.offerId())
        .put("agentId", o.agentId())
        .put("timeoutMs", o.expiresInMs())
        .put("epoch", o.epoch())
        .put("chat", chat(o.chat()));
  }

  public static Offer offer(JsonObject j) {
    return new Offer(
        j.getString("offerId"),
        j.getString("agentId"),
        chat(j.getJsonObject("chat")),
        j.getLong("timeoutMs", 0L),
        j.getLong("epoch", 0L));
  }

  public static JsonObject view(AgentView a) {
    return AgentFrames.agent(a);
  }

  public static AgentView view(JsonObject j) {
    return new AgentView(
        j.getString("agentId"),
        state(j.getString("state")),
        j.getString("reason", ""),
        j.getInteger("chats", 0),
        j.getInteger("capacity", 0),
        j.getBoolean("online", true));
  }

  public static AgentState state(String wire) {
    return AgentState.fromWire(wire).orElse(AgentState.NOT_READY);
  }

  public static JsonObject registration(RouterAccess.Registration r) {
    return new JsonObject()
        .put("agentId", r.agentId())
        .put("capacity", r.capacity())
        .put("skills", new JsonArray(java.util.List.copyOf(r.skills())))
        .put("chats", new JsonArray(java.util.List.copyOf(r.chats())))
        .put("state", r.state() == null ? null : r.state().wireName())
        .put("reason", r.reason())
        .put("connected", r.connected());
  }

  public static RouterAccess.Registration registration(JsonObject j) {
    return new RouterAccess.Registration(
        j.getString("agentId"),
        j.getInteger("capacity", 1),
        strings(j.getJsonArray("skills")),
        strings(j.getJsonArray("chats")),
        j.getString("state") == null ? null : state(j.getString("state")),
        j.getString("reason", ""),
        j.getBoolean("connected", true));
  }

  private static Set<String> strings(JsonArray a) {
    Set<String> s = new HashSet<>();
    if (a != null) {
      a.forEach(v -> s.add(String.valueOf(v)));
    }
    return s;
  }
}
