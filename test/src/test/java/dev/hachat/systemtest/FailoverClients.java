package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;

import dev.hachat.esp.client.FailoverEspClient;
import dev.hachat.esp.client.FailoverEspClientOptions;
import dev.hachat.store.Entry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Clients that survive an instance's death the way real ones would: on a refused connection, a
 * timeout, NOT_OWNER or a retryable error they go to the owner named in the error or to another
 * instance, and resend with the same {@code clientMessageId}. Blocking; safe to use from many test
 * threads (one thread per chat).
 */
final class FailoverClients {
  /** One instance's addresses. */
  record Instance(String id, int webapi, int esp) {}

  private final Vertx vertx;
  private final WebClient http;
  private final List<Instance> instances;
  private final Secured secured;
  private FailoverEspClient desk;

  /** Sends that had to be tried again (the instance died or moved the chat meanwhile). */
  final java.util.concurrent.atomic.AtomicInteger resends =
      new java.util.concurrent.atomic.AtomicInteger();

  FailoverClients(Vertx vertx, List<Instance> instances) {
    this(vertx, instances, null);
  }

  /**
   * With {@code secured} (null: open mode) the agent logs in with its password and every call uses
   * TLS when the cluster does.
   */
  FailoverClients(Vertx vertx, List<Instance> instances, Secured secured) {
    this.vertx = vertx;
    this.secured = secured;
    this.http =
        secured == null
            ? WebClient.create(vertx)
            : WebClient.create(vertx, secured.clientOptions());
    this.instances = instances;
  }

  /**
   * Polls {@code condition} until it holds (an observable state of another process, such as its
   * cluster view); fails after {@code seconds}.
   */
  static void awaitCondition(
      String what, int seconds, java.util.concurrent.Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  /** A customer's view of a chat: credentials and the instance it talks to now. */
  static final class Customer {
    final String chatId;
    final String pid;
    final String key;
    int at;

    Customer(String chatId, String pid, String key, int at) {
      this.chatId = chatId;
      this.pid = pid;
      this.key = key;
      this.at = at;
    }
  }

  Customer requestChat(int at, String nickname) throws Exception {
    JsonObject b =
        await(
                http.post(instances.get(at).webapi(), "127.0.0.1", "/v1/chats")
                    .sendJsonObject(new JsonObject().put("nickname", nickname)))
            .bodyAsJsonObject();
    return new Customer(
        b.getString("chatId"), b.getString("participantId"), b.getString("secureKey"), at);
  }

  /** Sends until acknowledged (bounded); returns the acknowledged entry's index. */
  long customerSend(Customer c, String id, String text, List<Instance> alive) throws Exception {
    JsonObject body =
        new JsonObject()
            .put("participantId", c.pid)
            .put("secureKey", c.key)
            .put("clientMessageId", id)
            .put("text", text);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Exception last = null;
    while (System.nanoTime() < deadline) {
      Instance target = instances.get(c.at);
      try {
        HttpResponse<Buffer> r =
            await(
                http.post(target.webapi(), "127.0.0.1", "/v1/chats/" + c.chatId + "/send")
                    .timeout(5000)
                    .sendJsonObject(body));
        if (r.statusCode() == 200) {
          return r.bodyAsJsonObject().getJsonObject("entry").getLong("index");
        }
        JsonObject err = r.bodyAsJsonObject().getJsonObject("error");
        last = new IllegalStateException(r.statusCode() + " " + err);
        JsonObject details = err.getJsonObject("details");
        if (details != null && details.getString("webapi") != null) {
          c.at = indexOfWebapi(details.getString("webapi"));
          continue;
        }
        if (r.statusCode() < 500 && r.statusCode() != 409) {
          throw last; // not retryable: a test failure
        }
      } catch (IllegalStateException e) {
        throw e;
      } catch (Exception e) {
        last = e; // refused, reset, timeout: the instance is gone
      }
      c.at = next(c.at, alive);
      resends.incrementAndGet();
      sleepBackoff();
    }
    throw new AssertionError("send " + id + " never acknowledged", last);
  }

  /** The full transcript as the owner serves it. */
  List<Entry> transcript(Customer c, List<Instance> alive) throws Exception {
    JsonObject body =
        new JsonObject().put("participantId", c.pid).put("secureKey", c.key).put("after", 0);
    for (int attempt = 0; attempt < 40; attempt++) {
      try {
        HttpResponse<Buffer> r =
            await(
                http.post(
                        instances.get(c.at).webapi(),
                        "127.0.0.1",
                        "/v1/chats/" + c.chatId + "/refresh")
                    .sendJsonObject(body));
        if (r.statusCode() == 200) {
          return dev.hachat.store.EntryJson.fromJson(r.bodyAsJsonObject().getJsonArray("entries"));
        }
        JsonObject details = r.bodyAsJsonObject().getJsonObject("error").getJsonObject("details");
        if (details != null && details.getString("webapi") != null) {
          c.at = indexOfWebapi(details.getString("webapi"));
          continue;
        }
      } catch (Exception e) {
        // try another instance
      }
      c.at = next(c.at, alive);
      sleepBackoff();
    }
    throw new AssertionError("transcript of " + c.chatId + " not readable");
  }

  // ---- agent side (ESP): the library's FailoverEspClient follows each chat by itself ----------

  /** The agent's credentials in a chat. */
  record AgentSeat(String chatId, String pid, String key) {}

  private synchronized FailoverEspClient desk() throws Exception {
    if (desk == null) {
      desk = await(FailoverEspClient.connect(vertx, deskOptions()));
    }
    return desk;
  }

  private FailoverEspClientOptions deskOptions() {
    FailoverEspClientOptions o =
        new FailoverEspClientOptions()
            .setEndpoints(instances.stream().map(i -> "127.0.0.1:" + i.esp()).toList())
            .setAgentId(Secured.AGENT)
            .setNickname("Bob")
            .setRequestTimeout(5000)
            .setFailoverTimeout(60_000);
    if (secured != null) {
      o.setPassword(Secured.password(Secured.AGENT));
      if (secured.tls()) {
        o.setTlsTrustFile(secured.ca().toString());
      }
    }
    return o;
  }

  /** Accepts the chat (the client starts at the first instance and follows redirects). */
  AgentSeat accept(String chatId) throws Exception {
    var chat = await(desk().accept(chatId));
    return new AgentSeat(chatId, chat.participantId(), chat.secureKey());
  }

  /** Every entry of the agent's chats, once each, in index order per chat. */
  void onAgentEntry(java.util.function.BiConsumer<String, Entry> handler) throws Exception {
    desk().onEntry(handler);
  }

  /** Sends until acknowledged; the client finds the chat's instance by itself. */
  long agentSend(AgentSeat seat, String id, String text) throws Exception {
    return await(desk().send(seat.chatId(), id, text), Duration.ofSeconds(90)).index();
  }

  /** The agent's desktop goes away for good: it disconnects and follows no chat any more. */
  synchronized void agentLeavesForGood() throws Exception {
    if (desk != null) {
      await(desk.disconnect());
    }
  }

  /** Retries of customers and of the agent client together. */
  long retries() {
    return resends.get() + (desk == null ? 0 : desk.retries());
  }

  private int next(int at, List<Instance> alive) {
    int i = alive.indexOf(instances.get(at));
    return instances.indexOf(alive.get((i + 1) % alive.size()));
  }

  private int indexOfWebapi(String hostPort) {
    return indexOfPort(hostPort, Instance::webapi);
  }

  private int indexOfPort(String hostPort, java.util.function.ToIntFunction<Instance> port) {
    int wanted = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    for (int i = 0; i < instances.size(); i++) {
      if (port.applyAsInt(instances.get(i)) == wanted) {
        return i;
      }
    }
    throw new IllegalStateException("no instance listens at " + hostPort);
  }

  private static void sleepBackoff() throws InterruptedException {
    // A client's retry pause (not test synchronisation): real clients back off too.
    TimeUnit.MILLISECONDS.sleep(200);
  }
}
