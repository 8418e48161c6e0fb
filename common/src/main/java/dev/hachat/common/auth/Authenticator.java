package dev.hachat.common.auth;

import dev.hachat.common.auth.impl.AuthenticatorImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Authenticates callers by account password (salted PBKDF2 hashes from the accounts file) or by a
 * signed token (HS256 JWT, {@code security.token-secrets}), and issues tokens to peers. Failed
 * logins are throttled per client address and per account ({@code
 * security.login-failures-per-minute}): beyond it a login is refused with {@code RATE_LIMITED}
 * before any password is checked. Failures are {@link dev.hachat.common.error.ChatException}s
 * {@code UNAUTHORIZED} (wrong or unknown credential, the same message for both) or {@code
 * RATE_LIMITED}.
 *
 * <p>Threading: any thread; password checks run off the event loop (PBKDF2 is slow on purpose).
 */
public interface Authenticator {

  /** Loads the accounts file (if any); the Future fails when it cannot be read. */
  static Future<Authenticator> create(Vertx vertx, SecurityOptions options) {
    return AuthenticatorImpl.create(vertx, options);
  }

  /**
   * An authenticator with no credentials: {@link #enabled()} is false, every login and token is
   * refused. For a process that runs open (loopback only) and for tests.
   */
  static Authenticator open() {
    return dev.hachat.common.auth.impl.OpenAuthenticator.INSTANCE;
  }

  /** Whether credentials are configured; when not, the process runs open (loopback only). */
  boolean enabled();

  /** An account's password login from {@code address} (for the throttle). */
  Future<Principal> login(String accountId, String password, String address);

  /** A token's holder; fails UNAUTHORIZED for a bad, expired or unknown-key token. */
  Future<Principal> verifyToken(String token, String address);

  /**
   * A token for {@code principal}, valid {@code security.token-ttl}; fails if no token secret is
   * configured.
   */
  String issueToken(Principal principal);

  /** Stops re-reading the accounts file. */
  void close();
}
