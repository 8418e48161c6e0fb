package dev.hachat.gms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.gms.config.GmsOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The instances' own limits seen through the web API server: the new-chats limit counts the
 * customer's address the web API server forwards (not the web API server's), and a {@code
 * RATE_LIMITED} answer of an instance (new chats, typing, updates) goes back to the customer at
 * once, with statusCode 1, without a retry at another instance.
 */
class GmsInstanceLimitsTest extends GmsTestBase {
  private static final String SERVICE = "/genesys/2/chat/customer-support";

  @Override
  protected Map<String, String> instanceSettings() {
    Map<String, String> s = new HashMap<>(super.instanceSettings());
    // one token a minute after the burst: nothing refills within the test
    for (String limit :
        List.of("webapi.new-chats", "session.limits.typing", "session.limits.updates")) {
      s.put("hachat." + limit + "-per-minute", "1");
      s.put("hachat." + limit + "-burst", limit.startsWith("webapi") ? "1" : "2");
    }
    return s;
  }

  @Override
  protected GmsOptions gmsOptions() {
    GmsOptions o = super.gmsOptions();
    o.getEdge().setTrustedProxies(List.of("127.0.0.1"));
    return o;
  }

  private HttpResponse<Buffer> requestChatFrom(String forwardedFor) throws Exception {
    return await(
        http.post(gms.port(), "127.0.0.1", SERVICE)
            .putHeader("X-Forwarded-For", forwardedFor)
            .sendForm(MultiMap.caseInsensitiveMultiMap().add("nickname", "Ann")));
  }

  private static void assertRateLimited(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(429);
    JsonObject b = r.bodyAsJsonObject();
    assertThat(b.getInteger("statusCode")).as("retry later").isEqualTo(1);
    JsonObject error = b.getJsonArray("errors").getJsonObject(0);
    assertThat(error.getString("name")).isEqualTo("RATE_LIMITED");
    assertThat(error.getInteger("code")).isEqualTo(204);
  }

  private long instancesLimited(String kpi) {
    return instances.stream().mapToLong(s -> s.engine().kpi().toJson().getLong(kpi)).sum();
  }

  @Test
  void the_forwarded_customer_address_is_limited_at_the_instances_without_retries()
      throws Exception {
    // one chat per address and instance: at most two succeed, then every instance refuses
    int opened = 0;
    HttpResponse<Buffer> r;
    while ((r = requestChatFrom("203.0.113.7")).statusCode() == 200) {
      opened++;
      assertThat(opened).as("chats opened before the limit").isLessThanOrEqualTo(2);
    }
    assertThat(opened).isPositive();
    assertRateLimited(r);
    assertThat(instancesLimited("limit_new_chats")).as("one refusal, not retried").isEqualTo(1);
    assertThat(gms.retriedRequests()).isZero();
    // the web API server's own address is not what counts: another customer goes on
    assertThat(requestChatFrom("203.0.113.8").statusCode()).isEqualTo(200);
  }

  @Test
  void typing_and_update_floods_get_rate_limited_at_once() throws Exception {
    Chat c = requestChat("Ann");
    for (String[] op :
        new String[][] {
          {"startTyping", "message", ""}, {"updateNickname", "nickname", "Ann2"},
        }) {
      Map<String, String> params = c.auth(op[1], op[2]);
      assertThat(op(c, op[0], params).getInteger("statusCode")).as(op[0]).isZero();
      assertThat(op(c, op[0], params).getInteger("statusCode")).as(op[0]).isZero();
      HttpResponse<Buffer> third = form(SERVICE + "/" + c.chatId() + "/" + op[0], params);
      assertRateLimited(third);
    }
    assertThat(instancesLimited("limit_typing")).isEqualTo(1);
    assertThat(instancesLimited("limit_updates")).isEqualTo(1);
    assertThat(gms.retriedRequests()).isZero();
    assertThat(op(c, "send", c.auth("message", "still here")).getInteger("statusCode")).isZero();
  }
}
