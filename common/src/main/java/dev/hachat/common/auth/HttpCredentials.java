package dev.hachat.common.auth;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Reads an HTTP {@code Authorization} header: {@code Bearer <token>} (verified as a token) or
 * {@code Basic base64(account:password)} (an account login, throttled by the {@link
 * Authenticator}), and checks that the caller holds one of the roles an endpoint needs. Failures
 * are {@code UNAUTHORIZED} (no or a wrong credential), {@code FORBIDDEN} (right credential, wrong
 * role) or {@code RATE_LIMITED}.
 *
 * <p>Threading: any thread (stateless).
 */
public final class HttpCredentials {
  /** The {@code WWW-Authenticate} value of a 401. */
  public static final String CHALLENGE = "Basic realm=\"hachat\"";

  private HttpCredentials() {}

  /**
   * The caller of {@code authorization} (a header value, may be null) if it has any of {@code
   * roles}.
   */
  public static Future<Principal> require(
      Authenticator auth, String authorization, String address, Role... roles) {
    return authenticate(auth, authorization, address)
        .compose(
            p ->
                p.hasAny(roles)
                    ? Future.succeededFuture(p)
                    : Future.failedFuture(
                        new ChatException(
                            ErrorCode.FORBIDDEN,
                            "account "
                                + p.id()
                                + " may not do this (needs "
                                + names(roles)
                                + ")")));
  }

  /**
   * The caller of {@code request} (its {@code Authorization} header, throttled by its remote
   * address) if it has any of {@code roles}; immediately {@code null} when {@code auth} is open.
   */
  public static Future<Principal> require(
      Authenticator auth, io.vertx.core.http.HttpServerRequest request, Role... roles) {
    if (!auth.enabled()) {
      return Future.succeededFuture();
    }
    String address = request.remoteAddress() == null ? "unknown" : request.remoteAddress().host();
    return require(auth, request.getHeader("Authorization"), address, roles);
  }

  /** The caller of {@code authorization}, whatever its roles. */
  public static Future<Principal> authenticate(
      Authenticator auth, String authorization, String address) {
    if (authorization == null || authorization.isBlank()) {
      return Future.failedFuture(
          new ChatException(ErrorCode.UNAUTHORIZED, "credentials required (Basic or Bearer)"));
    }
    String h = authorization.trim();
    if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.verifyToken(h.substring(7).trim(), address);
    }
    if (h.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded =
            new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        decoded = "";
      }
      int colon = decoded.indexOf(':');
      if (colon <= 0) {
        return Future.failedFuture(
            new ChatException(ErrorCode.UNAUTHORIZED, "malformed Basic credentials"));
      }
      return auth.login(decoded.substring(0, colon), decoded.substring(colon + 1), address);
    }
    return Future.failedFuture(
        new ChatException(ErrorCode.UNAUTHORIZED, "unsupported authorization scheme"));
  }

  /** {@code Basic …} for {@code account} and {@code password}. */
  public static String basic(String account, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((account + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static String names(Role... roles) {
    StringBuilder b = new StringBuilder();
    for (Role r : roles) {
      b.append(b.length() == 0 ? "" : " or ").append(r.wireName());
    }
    return b.toString();
  }
}
