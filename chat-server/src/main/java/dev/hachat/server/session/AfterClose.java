package dev.hachat.server.session;

/**
 * What happens to a chat's records after it ended: the final transcript and the clean-up of the
 * intermediate records. Called on any thread; must not block.
 */
public interface AfterClose {

  /**
   * The chat's close is in the store (or this instance restored a chat that was closed there): its
   * final transcript may be written now.
   */
  void closed(String chatId);

  /** This instance no longer serves the closed chat from memory: its records may go. */
  void retired(String chatId);
}
