package dev.hachat.gms.cometd;

import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cometd.bayeux.client.ClientSessionChannel;
import org.cometd.client.BayeuxClient;
import org.cometd.client.transport.ClientTransport;

/** A real CometD Java client on the chatV2 channel that records what the server delivers there. */
public final class BayeuxTestClient {

  public static final String SERVICE = "customer-support";
  public static final String CHANNEL = "/service/chatV2/" + SERVICE;

  public final BayeuxClient bayeux;
  public final List<JsonObject> received = new CopyOnWriteArrayList<>();

  BayeuxTestClient(String url, ClientTransport transport) {
    bayeux = new BayeuxClient(url, transport);
    bayeux
        .getChannel(CHANNEL)
        .addListener(
            (ClientSessionChannel.MessageListener)
                (channel, message) -> received.add(new JsonObject(message.getDataAsMap()).copy()));
  }

  /** A GMS widget's {@code requestChat} for {@code nickname}. */
  public static JsonObject requestChat(String nickname) {
    return new JsonObject()
        .put("operation", "requestChat")
        .put("nickname", nickname)
        .put("subject", "billing")
        .put("userData", new JsonObject().put("order", "A-17"));
  }

  /**
   * {@code requestNotifications} on a new Bayeux session: names the chat of a {@code requestChat}
   * reply with its credentials, and the position to resume from (a number or a numeric string).
   */
  public static JsonObject requestNotifications(JsonObject chat, Object transcriptPosition) {
    return new JsonObject()
        .put("operation", "requestNotifications")
        .put("chatId", chat.getString("chatId"))
        .put("userId", chat.getString("userId"))
        .put("alias", chat.getString("alias"))
        .put("secureKey", chat.getString("secureKey"))
        .put("transcriptPosition", transcriptPosition);
  }

  BayeuxTestClient handshake() {
    bayeux.handshake();
    if (!bayeux.waitFor(10_000, BayeuxClient.State.CONNECTED)) {
      throw new AssertionError("no handshake");
    }
    return this;
  }

  public void publish(JsonObject data) {
    bayeux
        .getChannel(CHANNEL)
        .publish(io.vertx.core.json.Json.decodeValue(data.encode(), Map.class));
  }

  /** Publishes and waits (up to 10 s) for the reply carrying the same operation. */
  public JsonObject call(JsonObject data) {
    return call(data, Duration.ofSeconds(10));
  }

  /** Publishes and waits up to {@code atMost} for the reply carrying the same operation. */
  public JsonObject call(JsonObject data, Duration atMost) {
    int seen = replies(data.getString("operation")).size();
    publish(data);
    String op = data.getString("operation");
    await().atMost(atMost).until(() -> replies(op).size() > seen);
    return replies(op).get(seen);
  }

  public List<JsonObject> replies(String operation) {
    return received.stream().filter(m -> operation.equals(m.getString("operation"))).toList();
  }

  /** Deliveries without an operation: the pushed transcript feed. */
  public List<JsonObject> pushes() {
    return received.stream().filter(m -> !m.containsKey("operation")).toList();
  }

  /** Every transcript message delivered, in arrival order, replies and pushes alike. */
  public List<JsonObject> transcript() {
    return received.stream()
        .flatMap(
            m ->
                m.getJsonArray("messages") == null
                    ? java.util.stream.Stream.<JsonObject>empty()
                    : m.getJsonArray("messages").stream().map(o -> toJson(o)))
        .toList();
  }

  @SuppressWarnings("unchecked")
  private static JsonObject toJson(Object o) {
    return o instanceof JsonObject j ? j : new JsonObject((Map<String, Object>) o);
  }

  public void disconnect() {
    if (!bayeux.isDisconnected()) {
      bayeux.disconnect(5_000);
    }
  }
}
