package dev.hachat.gms.cometd;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cometd.client.http.jetty.JettyHttpClientTransport;
import org.cometd.client.transport.ClientTransport;
import org.cometd.client.websocket.jakarta.WebSocketTransport;
import org.cometd.common.JacksonJSONContextClient;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.ee10.websocket.jakarta.client.JakartaWebSocketClientContainer;

/**
 * Real CometD Java clients for tests: one Jetty HTTP client (long-polling) and one Jakarta
 * WebSocket container shared by every {@link BayeuxTestClient} made here; {@link #close}
 * disconnects them all.
 */
public final class BayeuxClients implements AutoCloseable {

  /** The Bayeux transport a client uses (it is the only one it offers in its handshake). */
  public enum Transport {
    LONG_POLLING("long-polling"),
    WEBSOCKET("websocket");

    private final String bayeuxName;

    Transport(String bayeuxName) {
      this.bayeuxName = bayeuxName;
    }

    /** The transport's name in Bayeux handshakes. */
    public String bayeuxName() {
      return bayeuxName;
    }
  }

  private final HttpClient httpClient = new HttpClient();
  private final JakartaWebSocketClientContainer webSockets = new JakartaWebSocketClientContainer();
  private final List<BayeuxTestClient> clients = new CopyOnWriteArrayList<>();

  public BayeuxClients() throws Exception {
    httpClient.start();
    webSockets.start();
  }

  /** A client of {@code url} (e.g. {@code http://127.0.0.1:8090/genesys/cometd}), handshaken. */
  public BayeuxTestClient connect(String url, Transport transport) {
    Map<String, Object> options = new HashMap<>(); // CometD's transports write into it
    options.put(ClientTransport.JSON_CONTEXT_OPTION, new JacksonJSONContextClient());
    ClientTransport t =
        transport == Transport.WEBSOCKET
            ? new WebSocketTransport(options, null, webSockets)
            : new JettyHttpClientTransport(options, httpClient);
    BayeuxTestClient client = new BayeuxTestClient(url, t);
    clients.add(client);
    return client.handshake();
  }

  @Override
  public void close() throws Exception {
    clients.forEach(BayeuxTestClient::disconnect);
    httpClient.stop();
    webSockets.stop();
  }
}
