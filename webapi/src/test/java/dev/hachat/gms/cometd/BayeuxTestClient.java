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
final class BayeuxTestClient {

  static final String SERVICE = "customer-support";
  static final String CHANNEL = "/service/chatV2/" + SERVICE;

  final BayeuxClient bayeux;
  final List<JsonObject> received = new CopyOnWriteArrayList<>();

  BayeuxTestClient(String url, ClientTransport transport) {
    bayeux = new BayeuxClient(url, transport);
    bayeux
        .getChannel(CHANNEL)
        .addListener(
            (ClientSessionChannel.MessageListener)
                (channel, message) -> received.add(new JsonObject(message.getDataAsMap()).copy()));
  }

  BayeuxTestClient handshake() {
    bayeux.handshake();
    if (!bayeux.waitFor(10_000, BayeuxClient.State.CONNECTED)) {
      throw new AssertionError("no handshake");
    }
    return this;
  }

  void publish(JsonObject data) {
    bayeux
        .getChannel(CHANNEL)
        .publish(io.vertx.core.json.Json.decodeValue(data.encode(), Map.class));
  }

  /** Publishes and waits for the reply carrying the same operation. */
  JsonObject call(JsonObject data) {
    int seen = replies(data.getString("operation")).size();
    publish(data);
    String op = data.getString("operation");
    await().atMost(Duration.ofSeconds(10)).until(() -> replies(op).size() > seen);
    return replies(op).get(seen);
  }

  List<JsonObject> replies(String operation) {
    return received.stream().filter(m -> operation.equals(m.getString("operation"))).toList();
  }

  /** Deliveries without an operation: the pushed transcript feed. */
  List<JsonObject> pushes() {
    return received.stream().filter(m -> !m.containsKey("operation")).toList();
  }

  /** Every transcript message delivered, in arrival order, replies and pushes alike. */
  List<JsonObject> transcript() {
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

  void disconnect() {
    if (!bayeux.isDisconnected()) {
      bayeux.disconnect(5_000);
    }
  }
}
