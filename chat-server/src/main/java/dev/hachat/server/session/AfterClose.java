package dev.hachat.server.session;

import dev.hachat.store.spi.TranscriptStore;
import org.slf4j.LoggerFactory;

/**
 * What happens to a chat's records after it ended: the final transcript and the clean-up of the
 * intermediate records. Called on any thread; must not block.
 */
public interface AfterClose {

  /**
   * Without a contact history: nothing is written at the close, and a retired chat's records are
   * deleted.
   */
  static AfterClose deleteRecords(TranscriptStore store) {
    return new AfterClose() {
      @Override
      public void closed(String chatId) {}

      @Override
      public void retired(String chatId) {
        store
            .delete(chatId)
            .onFailure(
                e ->
                    LoggerFactory.getLogger(AfterClose.class)
                        .debug("[{}] delete failed: {}", chatId, e.toString()));
      }
    };
  }

  /**
   * The chat's close is in the store (or this instance restored a chat that was closed there): its
   * final transcript may be written now.
   */
  void closed(String chatId);

  /** This instance no longer serves the closed chat from memory: its records may go. */
  void retired(String chatId);
}
