package dev.hachat.common.text;

import dev.hachat.common.error.ChatException;

/**
 * What text a client may send so that every store keeps it as it was typed: PostgreSQL refuses NUL
 * in {@code text} and {@code jsonb} (SQLSTATE 22021 / 22P05) and a lone UTF-16 surrogate has no
 * UTF-8 form, so either would be acknowledged by one store and refused by the contact history.
 *
 * <p>Refused: the C0 control characters U+0000–U+001F except tab, line feed and carriage return
 * (browsers send a textarea's line breaks as CR LF), U+007F (DEL), and a surrogate that is not half
 * of a pair. Everything else, including every printable character of every script and emoji, is
 * allowed. Stateless and thread-safe.
 */
public final class StorableText {
  private StorableText() {}

  /**
   * Throws {@link ChatException} BAD_REQUEST naming {@code field} and the position (0-based, in
   * UTF-16 units) of the first character that cannot be stored; {@code null} passes.
   */
  public static void check(String field, String value) {
    int at = firstUnstorable(value);
    if (at >= 0) {
      throw ChatException.badRequest(
          field + " " + problem(value.charAt(at)) + " at position " + at);
    }
  }

  /**
   * The index of the first character that cannot be stored, or -1 if all can ({@code null} too).
   */
  public static int firstUnstorable(String value) {
    if (value == null) {
      return -1;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20) {
        if (c != '\t' && c != '\n' && c != '\r') {
          return i;
        }
      } else if (c == 0x7f) {
        return i;
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      } else if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * {@code value} with each character that cannot be stored replaced by U+FFFD, for writing what
   * can be kept of text that reached a store before these rules applied.
   */
  public static String sanitize(String value) {
    int at = firstUnstorable(value);
    if (at < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length()).append(value, 0, at);
    for (int i = at; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        out.append(c).append(value.charAt(++i));
      } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r')
          || c == 0x7f
          || Character.isSurrogate(c)) {
        out.append('\uFFFD');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String problem(char c) {
    return Character.isSurrogate(c)
        ? "contains a lone surrogate"
        : String.format("contains the control character U+%04X", (int) c);
  }
}
