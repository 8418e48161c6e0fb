package dev.hachat.common.auth;

import io.vertx.ext.auth.hashing.HashingStrategy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * Salted PBKDF2 password hashes for the accounts file (Vert.x Auth's {@link HashingStrategy}): a
 * random 16-byte salt per hash. {@code scripts/hachat-passwd} runs {@link #main}: it reads a
 * password from stdin and prints its hash.
 */
public final class Passwords {
  /** PBKDF2 iterations of a new hash. */
  public static final int ITERATIONS = 50_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  private Passwords() {}

  /** A new salted hash of {@code password}. */
  public static String hash(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return HashingStrategy.load()
        .hash(
            "pbkdf2",
            Map.of("it", String.valueOf(ITERATIONS)),
            Base64.getEncoder().withoutPadding().encodeToString(salt),
            password);
  }

  /** Prints the hash of the password on stdin's first line. */
  public static void main(String[] args) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String password = in.readLine();
    if (password == null || password.length() < 8) {
      System.err.println("hachat-passwd: give a password of at least 8 characters on stdin");
      System.exit(2);
    }
    System.out.println(hash(password));
  }
}
