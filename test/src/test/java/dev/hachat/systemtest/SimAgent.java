package dev.hachat.systemtest;

import dev.hachat.common.error.ChatException;
import dev.hachat.interaction.client.AgentApiClient;
import dev.hachat.systemtest.RoutingHistory.Kind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * An agent desktop of the routing test on an interaction server's agent API: it logs in by id (open
 * mode), goes Ready, and answers each offer after a short think: it accepts most, rejects some and
 * lets some time out (never answers), by a random draw seeded with its id. In a chat it accepted it
 * sends one reply, waits for the customer's message, talks a little while and closes the chat. When
 * the router sets it NotReady for missed offers it goes Ready again, as its user would. Everything
 * it sees and does is recorded in a {@link RoutingHistory}; the think and talk pauses are Vert.x
 * timers (the simulated user's pace, not synchronisation).
 *
 * <p>Threading: events and replies arrive on its connection's event loop; its chat sets are guarded
 * by the object's lock.
 */
final class SimAgent {
  /** Shares of offers rejected and let time out; the rest are accepted. */
  record Behaviour(double reject, double ignore, long thinkMinMs, long thinkMaxMs, long talkMs) {}

  private final Vertx vertx;
  private final String id;
  private final RoutingHistory history;
  private final Behaviour behaviour;
  private final Random random;
  private final Set<String> replied = new HashSet<>();
  private final Set<String> heard = new HashSet<>();
  private AgentApiClient client;

  SimAgent(Vertx vertx, String id, RoutingHistory history, Behaviour behaviour) {
    this.vertx = vertx;
    this.id = id;
    this.history = history;
    this.behaviour = behaviour;
    this.random = new Random(id.hashCode());
  }

  /** Connects to the interaction server on {@code port}, logs in and goes Ready. */
  Future<Void> start(int port) {
    return logIn(vertx, port, id, this::onEvent)
        .compose(
            c -> {
              client = c;
              return ready();
            });
  }

  /**
   * A desktop connected to the interaction server on {@code port}, its events going to {@code
   * events}, logged in by id alone (nickname: the id), still NotReady (no offer comes yet).
   */
  static Future<AgentApiClient> logIn(
      Vertx vertx, int port, String id, java.util.function.Consumer<JsonObject> events) {
    return AgentApiClient.connect(vertx, "127.0.0.1", port, "")
        .compose(c -> c.onEvent(events).login(id, id, null, null).map(me -> c));
  }

  Future<Void> stop() {
    return client == null ? Future.succeededFuture() : client.disconnect();
  }

  private Future<Void> ready() {
    return client
        .setState("Ready", "")
        .map(
            me -> {
              history.record(id, state(me.getString("state")), null, null, "setState");
              return null;
            });
  }

  private static Kind state(String wire) {
    return "Ready".equals(wire) ? Kind.READY : Kind.NOT_READY;
  }

  private void onEvent(JsonObject e) {
    switch (e.getString("event", "")) {
      case "offer" -> offered(e);
      case "offerRevoked" ->
          history.record(
              id,
              Kind.REVOKED,
              e.getString("chatId"),
              e.getString("offerId"),
              e.getString("reason"));
      case "state" -> {
        history.record(id, state(e.getString("state")), null, null, e.getString("reason"));
        if (!"Ready".equals(e.getString("state"))) {
          vertx.setTimer(think(), t -> ready());
        }
      }
      case "entry" -> {
        JsonObject entry = e.getJsonObject("entry");
        if (fromCustomer(entry)) {
          heard(e.getString("chatId"));
        }
      }
      case "chatClosed" -> history.record(id, Kind.CLOSED, e.getString("chatId"), null, null);
      default -> {}
    }
  }

  private void offered(JsonObject e) {
    String offerId = e.getString("offerId");
    String chatId = e.getJsonObject("chat").getString("chatId");
    history.record(id, Kind.OFFER, chatId, offerId, e.getJsonObject("chat").getString("queue"));
    double draw;
    synchronized (this) {
      draw = random.nextDouble();
    }
    if (draw < behaviour.ignore()) {
      return; // it times out
    }
    boolean reject = draw < behaviour.ignore() + behaviour.reject();
    vertx.setTimer(think(), t -> answer(chatId, offerId, reject));
  }

  private void answer(String chatId, String offerId, boolean reject) {
    if (reject) {
      history.record(id, Kind.REJECT_SENT, chatId, offerId, null);
      client
          .reject(offerId)
          .onComplete(ar -> history.record(id, Kind.REJECTED, chatId, offerId, code(ar.cause())));
      return;
    }
    history.record(id, Kind.ACCEPT_SENT, chatId, offerId, null);
    client
        .accept(offerId)
        .onSuccess(
            chat -> {
              history.record(id, Kind.ACCEPTED, chatId, offerId, null);
              JsonArray entries = chat.getJsonArray("entries", new JsonArray());
              if (entries.stream().map(JsonObject.class::cast).anyMatch(SimAgent::fromCustomer)) {
                heard(chatId);
              }
              client.send(chatId, "a-" + chatId, replyText(chatId)).onSuccess(v -> replied(chatId));
            })
        .onFailure(err -> history.record(id, Kind.ACCEPT_FAILED, chatId, offerId, code(err)));
  }

  private static boolean fromCustomer(JsonObject entry) {
    return "Message".equals(entry.getString("type"))
        && "Client".equals(entry.getJsonObject("from", new JsonObject()).getString("type"));
  }

  private void heard(String chatId) {
    progress(chatId, heard, replied);
  }

  private void replied(String chatId) {
    progress(chatId, replied, heard);
  }

  /** One of the two steps of a chat is done; after both, the agent talks and closes it. */
  private void progress(String chatId, Set<String> done, Set<String> other) {
    boolean both;
    synchronized (this) {
      both = done.add(chatId) && other.contains(chatId);
    }
    if (both) {
      talkThenClose(chatId);
    }
  }

  private void talkThenClose(String chatId) {
    vertx.setTimer(behaviour.talkMs() / 2 + randomUpTo(behaviour.talkMs()), t -> close(chatId));
  }

  private void close(String chatId) {
    client
        .close(chatId, "resolved")
        .onFailure(e -> System.err.println(id + " could not close " + chatId + ": " + e));
  }

  /** The one message an agent sends in a chat. */
  static String replyText(String chatId) {
    return "agent reply in " + chatId;
  }

  private long think() {
    return behaviour.thinkMinMs() + randomUpTo(behaviour.thinkMaxMs() - behaviour.thinkMinMs());
  }

  private synchronized long randomUpTo(long bound) {
    return bound <= 0 ? 0 : (long) (random.nextDouble() * bound);
  }

  private static String code(Throwable e) {
    if (e == null) {
      return null;
    }
    return e instanceof ChatException ce ? ce.code().name() : e.toString();
  }
}
