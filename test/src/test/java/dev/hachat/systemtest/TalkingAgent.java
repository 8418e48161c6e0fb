package dev.hachat.systemtest;

import dev.hachat.interaction.agents.AgentFrames;
import dev.hachat.interaction.client.AgentApiClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An agent desktop of the failover test on an interaction server's agent API: it logs in by id
 * (open mode), goes Ready and accepts every offer at once. It keeps, per chat, every transcript
 * entry it was handed (the accept's transcript, then the entry events) with the moment it arrived,
 * and the moments of the interaction server's restore notices; the test sends through it.
 *
 * <p>Threading: events and replies arrive on its connection's event loop; the lists are concurrent,
 * so the test's thread reads them while they grow.
 */
final class TalkingAgent {
  /**
   * An entry as it reached the agent: {@code at} on {@link System#nanoTime()}, {@code wallAt} on
   * {@link System#currentTimeMillis()} (to compare with the entry's {@code utcTime}, written by an
   * instance on this machine).
   */
  record Seen(long at, long wallAt, JsonObject entry) {
    boolean customerMessage() {
      return "Message".equals(entry.getString("type")) && "Client".equals(fromType());
    }

    /** The instance's restore notice in the transcript (a System notice). */
    boolean restoreNotice() {
      return "Notice".equals(entry.getString("type"))
          && "System".equals(fromType())
          && entry.getString("text", "").contains("moved to another server");
    }

    long utcTime() {
      return entry.getLong("utcTime");
    }

    long index() {
      return entry.getLong("index");
    }

    String text() {
      return entry.getString("text");
    }

    private String fromType() {
      return entry.getJsonObject("from", new JsonObject()).getString("type");
    }
  }

  private final Vertx vertx;
  private final String id;
  private final Map<String, List<Seen>> seen = new ConcurrentHashMap<>();
  private final Map<String, List<Long>> restoreNotices = new ConcurrentHashMap<>();
  private final List<String> failedAccepts = new CopyOnWriteArrayList<>();
  private AgentApiClient client;

  TalkingAgent(Vertx vertx, String id) {
    this.vertx = vertx;
    this.id = id;
  }

  /** Connects to the interaction server on {@code port}, logs in and goes Ready. */
  Future<Void> start(int port) {
    return SimAgent.logIn(vertx, port, id, this::onEvent)
        .compose(
            c -> {
              client = c;
              return c.setState("Ready", "");
            })
        .mapEmpty();
  }

  Future<Void> stop() {
    return client == null ? Future.succeededFuture() : client.disconnect();
  }

  private void onEvent(JsonObject e) {
    long at = System.nanoTime();
    long wallAt = System.currentTimeMillis();
    switch (e.getString("event", "")) {
      case AgentFrames.EVENT_OFFER ->
          client
              .accept(e.getString("offerId"))
              .onSuccess(this::accepted)
              .onFailure(err -> failedAccepts.add(e.getString("offerId") + ": " + err));
      case AgentFrames.EVENT_ENTRY ->
          list(e.getString("chatId")).add(new Seen(at, wallAt, e.getJsonObject("entry")));
      case AgentFrames.EVENT_NOTICE -> {
        if (AgentFrames.NOTICE_RESTORED.equals(e.getString("code"))) {
          restoreNotices
              .computeIfAbsent(e.getString("chatId"), k -> new CopyOnWriteArrayList<>())
              .add(at);
        }
      }
      default -> {}
    }
  }

  private void accepted(JsonObject chat) {
    long at = System.nanoTime();
    long wallAt = System.currentTimeMillis();
    List<Seen> l = list(chat.getString("chatId"));
    JsonArray entries = chat.getJsonArray("entries", new JsonArray());
    List<Seen> first = new ArrayList<>();
    entries.forEach(o -> first.add(new Seen(at, wallAt, (JsonObject) o)));
    l.addAll(0, first); // the accept's transcript comes before any entry event
  }

  private List<Seen> list(String chatId) {
    return seen.computeIfAbsent(chatId, k -> new CopyOnWriteArrayList<>());
  }

  /** Sends in a chat it works on; the reply's entry. */
  Future<JsonObject> send(String chatId, String clientMessageId, String text) {
    return client.send(chatId, clientMessageId, text).map(r -> r.getJsonObject("entry"));
  }

  String id() {
    return id;
  }

  /** The chats it accepted. */
  java.util.Set<String> chats() {
    return seen.keySet();
  }

  /** What reached it in {@code chatId}, in arrival order. */
  List<Seen> seen(String chatId) {
    return List.copyOf(seen.getOrDefault(chatId, List.of()));
  }

  /** When the interaction server's RESTORED notices of {@code chatId} arrived. */
  List<Long> restoreNotices(String chatId) {
    return List.copyOf(restoreNotices.getOrDefault(chatId, List.of()));
  }

  List<String> failedAccepts() {
    return List.copyOf(failedAccepts);
  }
}
