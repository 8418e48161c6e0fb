package dev.hachat.store.spi;

import dev.hachat.store.StoredSession;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The contact-history database (UCS): where the final transcript of every chat goes when it ends.
 * Writes are idempotent by chat id, so any instance may finish a final write another one started.
 */
public interface ContactHistory {

  /**
   * Writes the final record of a closed chat (interaction, participants, entries) in one
   * transaction, unless it is there already. Completes with {@code true} if this call wrote it,
   * {@code false} if it was written before; fails with {@link
   * dev.hachat.store.StoreErrorKind#UNAVAILABLE} while the database cannot be reached.
   */
  Future<Boolean> writeFinal(StoredSession closed, String writtenBy);

  /** The stored record of a chat as JSON, or {@code null} if there is none. */
  Future<JsonObject> read(String chatId);

  Future<Void> shutdown();
}
