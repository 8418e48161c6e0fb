package dev.hachat.server.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Random identifiers and secure keys, and their constant-time check. */
final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private Secrets() {}

  /** 128 random bits, URL-safe base64 (22 characters). */
  static String newId() {
    return random(16);
  }

  /** 192 random bits for a participant's secure key (32 characters). */
  static String newSecureKey() {
    return random(24);
  }

  /** A short id, unique within one session (64 bits). */
  static String newParticipantId() {
    return random(8);
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return B64.encodeToString(b);
  }

  static String hash(String secureKey) {
    return Base64.getEncoder().encodeToString(sha256(secureKey));
  }

  /** Compares a presented key with a stored hash in time independent of where they differ. */
  static boolean matches(String presentedKey, String storedHash) {
    if (presentedKey == null || storedHash == null) {
      return false;
    }
    byte[] expected;
    try {
      expected = Base64.getDecoder().decode(storedHash);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(sha256(presentedKey), expected);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
