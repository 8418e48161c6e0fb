package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A client that keeps sending a chat's customer messages straight to one instance's webapi port (as
 * a widget that still knows its old owner would), never following a redirect: what that instance
 * answers, and when. Used on a chat's owner while it is cut off from the store: it must acknowledge
 * none of them (each text is unique, so one acknowledged would also show in the transcript as a
 * message nobody else saw acknowledged).
 *
 * <p>Threading: one sending thread; the answers are a concurrent list.
 */
final class OwnerProbe implements AutoCloseable {
  /** One answer: its HTTP status (0: none within the timeout), the error code, when. */
  record Answer(int status, String code, JsonObject error, long at) {}

  private final WebClient http;
  private final String host;
  private final int port;
  private final GmsCustomers.Chat chat;
  private final List<Answer> answers = new CopyOnWriteArrayList<>();
  private volatile boolean stop;
  private Thread thread;
  private int next = 1;

  OwnerProbe(WebClient http, String host, int port, GmsCustomers.Chat chat) {
    this.http = http;
    this.host = host;
    this.port = port;
    this.chat = chat;
  }

  /** Sends every 200 ms from now on, until closed. */
  OwnerProbe start() {
    thread =
        new Thread(
            () -> {
              while (!stop) {
                answers.add(sendOnce());
                try {
                  TimeUnit.MILLISECONDS.sleep(200); // the probe's pace, not a test sync
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "owner-probe-" + chat.chatId);
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /** One send with a new text; its answer (status 0 when none came within 5 s). */
  synchronized Answer sendOnce() {
    String text = "probe-" + next++;
    try {
      HttpResponse<Buffer> r =
          await(
              http.post(port, host, "/v1/chats/" + chat.chatId + "/send")
                  .timeout(5_000)
                  .sendJsonObject(
                      new JsonObject()
                          .put("participantId", chat.userId)
                          .put("secureKey", chat.secureKey)
                          .put("clientMessageId", text)
                          .put("text", text)));
      JsonObject error = r.statusCode() == 200 ? null : errorOf(r);
      return new Answer(
          r.statusCode(),
          error == null ? "" : error.getString("code", ""),
          error,
          System.nanoTime());
    } catch (Exception e) {
      return new Answer(0, e.getClass().getSimpleName(), null, System.nanoTime());
    }
  }

  private static JsonObject errorOf(HttpResponse<Buffer> r) {
    try {
      return r.bodyAsJsonObject().getJsonObject("error");
    } catch (RuntimeException e) {
      return null;
    }
  }

  List<Answer> answers() {
    return List.copyOf(answers);
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    if (thread != null) {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    }
  }
}
