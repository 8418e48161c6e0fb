package dev.hachat.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cometd.bayeux.client.ClientSessionChannel;
import org.cometd.client.BayeuxClient;
import org.cometd.client.http.jetty.JettyHttpClientTransport;
import org.cometd.client.transport.ClientTransport;
import org.cometd.client.websocket.jakarta.WebSocketTransport;
import org.cometd.common.JacksonJSONContextClient;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.ee10.websocket.jakarta.client.JakartaWebSocketClientContainer;

/**
 * Customers as CometD widgets: one real CometD Java client (Bayeux session) per customer on a web
 * API server's {@code /genesys/cometd}, long-polling or WebSocket. A send is acknowledged when the
 * {@code sendMessage} reply carrying its {@code messageId} arrives with {@code statusCode} 0.
 */
final class CometdLoadTarget implements LoadTarget, AutoCloseable {
  static final String CHANNEL = "/service/chatV2/customer-support";

  private final String url;
  private final boolean webSocket;
  private final HttpClient httpClient = new HttpClient();
  private final JakartaWebSocketClientContainer webSockets = new JakartaWebSocketClientContainer();
  private final Map<String, BayeuxClient> byChat = new ConcurrentHashMap<>();
  private final Map<String, Promise<Void>> pending = new ConcurrentHashMap<>();
  private final List<BayeuxClient> clients = new CopyOnWriteArrayList<>();

  CometdLoadTarget(int port, boolean webSocket) throws Exception {
    this.url = "http://127.0.0.1:" + port + "/genesys/cometd";
    this.webSocket = webSocket;
    httpClient.setMaxConnectionsPerDestination(1024);
    httpClient.start();
    webSockets.start();
  }

  @Override
  public Future<JsonObject> requestChat(String nickname) {
    Map<String, Object> options = new HashMap<>();
    options.put(ClientTransport.JSON_CONTEXT_OPTION, new JacksonJSONContextClient());
    ClientTransport transport =
        webSocket
            ? new WebSocketTransport(options, null, webSockets)
            : new JettyHttpClientTransport(options, httpClient);
    BayeuxClient client = new BayeuxClient(url, transport);
    clients.add(client);
    Promise<JsonObject> chat = Promise.promise();
    client
        .getChannel(CHANNEL)
        .addListener(
            (ClientSessionChannel.MessageListener)
                (channel, message) -> onReply(new JsonObject(message.getDataAsMap()), chat));
    client.handshake(
        reply -> {
          if (!reply.isSuccessful()) {
            chat.tryFail("CometD handshake failed: " + reply);
            return;
          }
          publish(
              client, new JsonObject().put("operation", "requestChat").put("nickname", nickname));
        });
    return chat.future().onSuccess(c -> byChat.put(c.getString("chatId"), client));
  }

  private void onReply(JsonObject data, Promise<JsonObject> chat) {
    String op = data.getString("operation");
    boolean ok = data.getInteger("statusCode", -1) == 0;
    if ("requestChat".equals(op)) {
      if (ok) {
        chat.tryComplete(data);
      } else {
        chat.tryFail("requestChat: " + data.encode());
      }
    } else if ("sendMessage".equals(op) && data.getString("messageId") != null) {
      Promise<Void> p = pending.remove(data.getString("messageId"));
      if (p != null) {
        if (ok) {
          p.tryComplete();
        } else {
          p.tryFail("sendMessage: " + data.encode());
        }
      }
    }
  }

  @Override
  public Future<Void> send(JsonObject customer, String messageId, String text) {
    BayeuxClient client = byChat.get(customer.getString("chatId"));
    Promise<Void> acked = Promise.promise();
    pending.put(messageId, acked);
    publish(
        client,
        new JsonObject()
            .put("operation", "sendMessage")
            .put("message", text)
            .put("messageId", messageId));
    return acked.future();
  }

  private static void publish(BayeuxClient client, JsonObject data) {
    client.getChannel(CHANNEL).publish(Json.decodeValue(data.encode(), Map.class));
  }

  @Override
  public void close() throws Exception {
    for (BayeuxClient c : clients) {
      c.disconnect(2_000);
    }
    httpClient.stop();
    webSockets.stop();
  }
}
