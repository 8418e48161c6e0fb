package dev.hachat.gms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.gms.config.GmsOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The web API server's edge over real sockets: the per-address limit of new chats (and the trusted
 * proxy's X-Forwarded-For), CORS only for listed origins, security headers on pages and answers, no
 * secureKey in a URL.
 */
class GmsEdgeTest extends GmsTestBase {
  private static final String SITE = "https://shop.example.com";

  @Override
  protected GmsOptions gmsOptions() {
    GmsOptions o = super.gmsOptions();
    o.getEdge()
        .setNewChatsPerMinute(1)
        .setNewChatsBurst(3)
        .setCorsAllowedOrigins(List.of(SITE))
        .setTrustedProxies(List.of("127.0.0.1"))
        .setMaxConnectionsPerAddress(2);
    return o;
  }

  private HttpResponse<Buffer> requestChatFrom(String forwardedFor) throws Exception {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("nickname", "Ann");
    var req = http.post(gms.port(), "127.0.0.1", "/genesys/2/chat/customer-support");
    if (forwardedFor != null) {
      req.putHeader("X-Forwarded-For", forwardedFor);
    }
    return await(req.sendForm(form));
  }

  @Test
  void new_chats_per_address_are_limited_with_a_retryable_429_and_counted() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(requestChatFrom("203.0.113.7").statusCode()).isEqualTo(200);
    }
    HttpResponse<Buffer> limited = requestChatFrom("203.0.113.7");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.bodyAsJsonObject().getInteger("statusCode")).as("retry later").isEqualTo(1);
    assertThat(limited.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("name"))
        .isEqualTo("RATE_LIMITED");
    // The trusted proxy's last hop counts, not a client's own claim before it.
    assertThat(requestChatFrom("203.0.113.7, 198.51.100.9").statusCode()).isEqualTo(200);
    assertThat(requestChatFrom("198.51.100.9, 203.0.113.7").statusCode()).isEqualTo(429);
    // An existing chat is not limited.
    Chat chat = requestChat("Bob"); // from 127.0.0.1, its own bucket
    assertThat(op(chat, "send", chat.auth("message", "hi")).getInteger("statusCode")).isZero();
    String metrics = await(http.get(gms.port(), "127.0.0.1", "/metrics").send()).bodyAsString();
    assertThat(metrics)
        .contains("hachat_webapi_rate_limited_total{limit=\"new-chats-per-address\"} 2.0");
  }

  @Test
  void behind_the_proxy_its_own_x_forwarded_for_line_counts_not_the_clients() throws Exception {
    // HAProxy's option forwardfor adds its own header line after any line the client sent: a
    // client that claims a new address in each request is still one address.
    for (int i = 0; i < 3; i++) {
      assertThat(requestChatFromLines("198.51.100." + i, "203.0.113.31").statusCode())
          .isEqualTo(200);
    }
    assertThat(requestChatFromLines("198.51.100.9", "203.0.113.31").statusCode())
        .as("counted against the proxy's line")
        .isEqualTo(429);
    assertThat(requestChatFromLines("203.0.113.31", "198.51.100.21").statusCode())
        .as("another client behind the proxy")
        .isEqualTo(200);
  }

  private HttpResponse<Buffer> requestChatFromLines(String clientsLine, String proxysLine)
      throws Exception {
    var req = http.post(gms.port(), "127.0.0.1", "/genesys/2/chat/customer-support");
    req.headers().add("X-Forwarded-For", clientsLine).add("X-Forwarded-For", proxysLine);
    return await(req.sendForm(MultiMap.caseInsensitiveMultiMap().add("nickname", "Ann")));
  }

  @Test
  void connections_past_the_per_address_cap_are_closed_but_not_the_proxys() throws Exception {
    List<Socket> open = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        Socket s = new Socket();
        s.bind(new InetSocketAddress("127.0.0.4", 0));
        s.connect(new InetSocketAddress("127.0.0.1", gms.port()));
        s.setSoTimeout(5000);
        open.add(s);
      }
      assertThat(open.get(2).getInputStream().read()).as("the third is closed").isEqualTo(-1);
      for (int i = 0; i < 3; i++) {
        assertThat(requestChatFrom(null).statusCode()).as("from the proxy").isEqualTo(200);
      }
      String metrics = await(http.get(gms.port(), "127.0.0.1", "/metrics").send()).bodyAsString();
      assertThat(metrics).contains("hachat_webapi_connections_refused_total 1.0");
    } finally {
      for (Socket s : open) {
        s.close();
      }
    }
  }

  @Test
  void cors_answers_only_listed_origins() throws Exception {
    HttpResponse<Buffer> allowed =
        await(
            http.request(HttpMethod.OPTIONS, gms.port(), "127.0.0.1", "/genesys/2/chat/x")
                .putHeader("Origin", SITE)
                .putHeader("Access-Control-Request-Method", "POST")
                .send());
    assertThat(allowed.getHeader("Access-Control-Allow-Origin")).isEqualTo(SITE);
    HttpResponse<Buffer> other =
        await(
            http.post(gms.port(), "127.0.0.1", "/genesys/2/chat/customer-support")
                .putHeader("Origin", "https://evil.example.net")
                .sendForm(MultiMap.caseInsensitiveMultiMap().add("nickname", "Eve")));
    assertThat(other.getHeader("Access-Control-Allow-Origin")).isNull();
    assertThat(other.statusCode()).isEqualTo(403);
  }

  @Test
  void pages_and_answers_carry_security_headers() throws Exception {
    for (String path : List.of("/", "/widget.js", "/health")) {
      HttpResponse<Buffer> r = await(http.get(gms.port(), "127.0.0.1", path).send());
      assertThat(r.getHeader("Content-Security-Policy"))
          .as(path)
          .contains("default-src 'self'", "frame-ancestors 'self'");
      assertThat(r.getHeader("X-Frame-Options")).as(path).isEqualTo("SAMEORIGIN");
      assertThat(r.getHeader("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
      assertThat(r.getHeader("Referrer-Policy")).as(path).isEqualTo("no-referrer");
    }
  }

  @Test
  void a_secure_key_in_the_url_is_refused_and_the_chat_goes_on() throws Exception {
    Chat chat = requestChat("Ann");
    HttpResponse<Buffer> r =
        await(
            http.post(
                    gms.port(),
                    "127.0.0.1",
                    "/genesys/2/chat/customer-support/"
                        + chat.chatId()
                        + "/send?secureKey="
                        + chat.secureKey())
                .sendForm(multi(chat.auth("message", "leaky"))));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsString()).contains("never in the URL").doesNotContain(chat.secureKey());
    assertThat(op(chat, "send", chat.auth("message", "fine")).getInteger("statusCode")).isZero();
  }

  @Test
  void the_widget_takes_only_timing_from_its_page_url() throws Exception {
    String js = await(http.get(gms.port(), "127.0.0.1", "/widget.js").send()).bodyAsString();
    assertThat(js).contains("typeof config[key] === 'number'");
  }

  private static MultiMap multi(Map<String, String> m) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    m.forEach(out::add);
    return out;
  }
}
