package dev.hachat.server.session;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.common.text.StorableText;
import dev.hachat.server.config.SessionOptions;
import dev.hachat.server.config.UserDataOptions;
import java.util.Map;

/**
 * The size limits of what participants type ({@code max-nickname-size}, {@code max-message-size})
 * and of a session's user data ({@code user-data}), and the characters every store can keep ({@link
 * StorableText}: no control characters but tab and line breaks, no lone surrogates), so nothing is
 * acknowledged that the contact history would refuse.
 */
final class InputLimits {
  /** Longest {@code clientMessageId} (characters). */
  static final int MAX_CLIENT_MESSAGE_ID = 128;

  private final SessionOptions options;

  InputLimits(SessionOptions options) {
    this.options = options;
  }

  /** The nickname, stripped; BAD_REQUEST if empty or too long. */
  String checkNickname(String nickname) {
    String nick = nickname == null ? "" : nickname.strip();
    if (nick.isEmpty()) {
      throw ChatException.badRequest("nickname is required");
    }
    if (nick.length() > options.getMaxNicknameSize()) {
      throw ChatException.badRequest(
          "nickname is longer than " + options.getMaxNicknameSize() + " characters");
    }
    StorableText.check("nickname", nick);
    return nick;
  }

  /**
   * A send's idempotency key, stored with its entry: BAD_REQUEST if missing, longer than {@value
   * #MAX_CLIENT_MESSAGE_ID} characters or unstorable.
   */
  void checkClientMessageId(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_CLIENT_MESSAGE_ID) {
      throw ChatException.badRequest(
          "clientMessageId is required (1-" + MAX_CLIENT_MESSAGE_ID + " characters)");
    }
    StorableText.check("clientMessageId", id);
  }

  /** BAD_REQUEST if empty, MESSAGE_TOO_LARGE if too long. */
  void checkText(String text) {
    if (text == null || text.isEmpty()) {
      throw ChatException.badRequest("text is required");
    }
    if (text.length() > options.getMaxMessageSize()) {
      throw new ChatException(
          ErrorCode.MESSAGE_TOO_LARGE,
          "text is longer than " + options.getMaxMessageSize() + " characters");
    }
    StorableText.check("text", text);
  }

  /** A chat's subject (may be absent): MESSAGE_TOO_LARGE if too long, BAD_REQUEST if unstorable. */
  void checkSubject(String subject) {
    if (subject != null && subject.length() > options.getMaxMessageSize()) {
      throw new ChatException(ErrorCode.MESSAGE_TOO_LARGE, "subject is too long");
    }
    StorableText.check("subject", subject);
  }

  /**
   * Checks {@code change} to user data that now holds {@code current}: BAD_REQUEST for an empty or
   * too long key or too many keys afterwards, MESSAGE_TOO_LARGE for a too long value.
   */
  void checkUserData(Map<String, String> current, Map<String, String> change) {
    UserDataOptions o = options.getUserData();
    long added = 0;
    for (Map.Entry<String, String> e : change.entrySet()) {
      String key = e.getKey();
      if (key == null || key.isEmpty()) {
        throw ChatException.badRequest("userData keys must not be empty");
      }
      if (key.length() > o.getMaxKeySize()) {
        throw ChatException.badRequest(
            "userData key is longer than " + o.getMaxKeySize() + " characters");
      }
      StorableText.check("userData key", key);
      if (e.getValue() == null) {
        throw ChatException.badRequest("userData." + key + " must be a string");
      }
      if (e.getValue().length() > o.getMaxValueSize()) {
        throw new ChatException(
            ErrorCode.MESSAGE_TOO_LARGE,
            "userData." + key + " is longer than " + o.getMaxValueSize() + " characters");
      }
      StorableText.check("userData." + key, e.getValue());
      if (!current.containsKey(key)) {
        added++;
      }
    }
    if (current.size() + added > o.getMaxKeys()) {
      throw ChatException.badRequest("userData would hold more than " + o.getMaxKeys() + " keys");
    }
  }
}
