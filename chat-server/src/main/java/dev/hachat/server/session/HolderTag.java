package dev.hachat.server.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What an agent's join entry records of who accepted the chat ({@code clientMessageId} of the
 * {@code ParticipantJoined} entry): {@code "holder:"} and a SHA-256 of the login id, so the
 * transcript names no account.
 */
final class HolderTag {
  private HolderTag() {}

  static String of(String holder) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(holder.getBytes(StandardCharsets.UTF_8));
      return "holder:" + HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
