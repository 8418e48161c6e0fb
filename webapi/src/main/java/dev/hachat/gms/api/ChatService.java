package dev.hachat.gms.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;

/**
 * The GMS Chat API v2 as one service, independent of the transport (REST or CometD).
 *
 * <p><b>Parameters</b> are a flat {@link JsonObject} with the GMS names: {@code nickname}, {@code
 * firstName}, {@code lastName}, {@code subject}, {@code emailAddress}, {@code userData} (an object
 * of strings), {@code userId}, {@code secureKey}, {@code alias}, {@code message}, {@code
 * messageType}, {@code transcriptPosition}, plus our {@code messageId} (optional idempotency key of
 * a send; the service makes one up when it is missing and keeps it across its own retries).
 *
 * <p><b>Results</b> are GMS response objects: {@code statusCode} (0 ok, 1 retry, 2 fatal), {@code
 * errors} ([{code, advice}], only on failure), and as the operation gives them {@code alias},
 * {@code userId}, {@code secureKey}, {@code chatId}, {@code messages}, {@code nextPosition}, {@code
 * chatEnded}. The returned Future never fails: every failure is a response with statusCode 1 or 2,
 * so transports only serialise.
 *
 * <p>Threading: any thread; Futures complete on a Vert.x context of the service.
 */
public interface ChatService {

  /**
   * {@code POST /genesys/2/chat/{serviceName}} / CometD {@code requestChat}.
   *
   * @param clientAddress the IP address the request came from (for the per-address limit of new
   *     chats), or {@code null} when unknown
   */
  Future<JsonObject> requestChat(String serviceName, String clientAddress, JsonObject params);

  /** An operation on an existing chat; {@code params} carry userId, secureKey and alias. */
  Future<JsonObject> perform(String serviceName, String chatId, Operation op, JsonObject params);

  /**
   * Follows a chat: every transcript message after {@code params.transcriptPosition} (default 1)
   * and each later one are given to {@code onUpdate} as a GMS response ({@code messages}, {@code
   * nextPosition}, {@code chatEnded}, {@code alias}), in index order, with no gap and no duplicate,
   * across an instance failure. A response with statusCode 2 ends the feed (wrong key, chat gone).
   * The feed also ends after the chat ended and that was delivered.
   */
  Future<Feed> follow(
      String serviceName, String chatId, JsonObject params, Handler<JsonObject> onUpdate);

  /** A running {@link #follow}. */
  interface Feed {
    /** Stops following (idempotent). */
    void cancel();
  }
}
