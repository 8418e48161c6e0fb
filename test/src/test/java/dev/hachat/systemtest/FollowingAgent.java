package dev.hachat.systemtest;

import dev.hachat.interaction.agents.AgentFrames;
import dev.hachat.interaction.client.AgentSession;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An agent desktop of the take-over test: an {@link AgentSession} over every interaction server
 * (its own first), logged in by id (open mode), Ready, accepting every offer at once. It records
 * when each offer arrived, the chats it accepted, and every entry it was handed per chat, so the
 * test can tell that its chats went on after its server was killed.
 *
 * <p>Threading: events arrive on the connections' event loops; the collections are concurrent.
 */
final class FollowingAgent {
  private final Vertx vertx;
  private final String id;
  private final List<Long> offersAt = new CopyOnWriteArrayList<>();
  private final Map<String, Long> accepted = new ConcurrentHashMap<>();
  private final Map<String, List<JsonObject>> entries = new ConcurrentHashMap<>();
  private final List<String> failedAccepts = new CopyOnWriteArrayList<>();
  private volatile AgentSession session;

  FollowingAgent(Vertx vertx, String id) {
    this.vertx = vertx;
    this.id = id;
  }

  /** Logs in at the first of {@code endpoints} ({@code host:port}) and goes Ready. */
  Future<Void> start(List<String> endpoints) {
    return AgentSession.start(
            vertx, endpoints, new AgentSession.Credentials(id, id, null, null), "", this::onEvent)
        .compose(
            s -> {
              session = s;
              return s.setState("Ready", "");
            })
        .mapEmpty();
  }

  private void onEvent(JsonObject e) {
    switch (e.getString("event", "")) {
      case AgentFrames.EVENT_OFFER -> {
        offersAt.add(System.nanoTime());
        String offerId = e.getString("offerId");
        session
            .accept(offerId)
            .onSuccess(
                chat -> {
                  accepted.put(chat.getString("chatId"), System.nanoTime());
                  chat.getJsonArray("entries")
                      .forEach(o -> list(chat.getString("chatId")).add((JsonObject) o));
                })
            .onFailure(err -> failedAccepts.add(offerId + ": " + err));
      }
      case AgentFrames.EVENT_ENTRY -> list(e.getString("chatId")).add(e.getJsonObject("entry"));
      default -> {}
    }
  }

  private List<JsonObject> list(String chatId) {
    return entries.computeIfAbsent(chatId, k -> new CopyOnWriteArrayList<>());
  }

  String id() {
    return id;
  }

  AgentSession session() {
    return session;
  }

  /** When each offer reached it, on {@link System#nanoTime()}. */
  List<Long> offersAt() {
    return List.copyOf(offersAt);
  }

  /** The chats it accepted, with when. */
  Map<String, Long> accepted() {
    return Map.copyOf(accepted);
  }

  /** The texts of the customer's messages it was handed in {@code chatId}, in order. */
  List<String> customerTexts(String chatId) {
    return entries.getOrDefault(chatId, List.of()).stream()
        .filter(
            x ->
                "Message".equals(x.getString("type"))
                    && "Client".equals(x.getJsonObject("from", new JsonObject()).getString("type")))
        .map(x -> x.getString("text"))
        .toList();
  }

  List<String> failedAccepts() {
    return List.copyOf(failedAccepts);
  }

  Future<Void> stop() {
    return session == null ? Future.succeededFuture() : session.stop();
  }
}
