package dev.hachat.server.session;

import dev.hachat.esp.protocol.ChatException;
import dev.hachat.esp.protocol.ErrorCode;
import dev.hachat.server.config.SessionOptions;

/**
 * The size limits of what participants type ({@code max-nickname-size}, {@code max-message-size}).
 */
final class InputLimits {
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
    return nick;
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
  }
}
