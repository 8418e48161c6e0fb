package dev.hachat.common.auth.impl;

import dev.hachat.common.auth.Authenticator;
import dev.hachat.common.auth.Principal;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import io.vertx.core.Future;

/** {@link Authenticator#open()}: no credentials configured, nothing to check against. */
public final class OpenAuthenticator implements Authenticator {
  public static final OpenAuthenticator INSTANCE = new OpenAuthenticator();

  private OpenAuthenticator() {}

  @Override
  public boolean enabled() {
    return false;
  }

  @Override
  public Future<Principal> login(String accountId, String password, String address) {
    return Future.failedFuture(
        new ChatException(ErrorCode.UNAUTHORIZED, "no accounts are configured"));
  }

  @Override
  public Future<Principal> verifyToken(String token, String address) {
    return Future.failedFuture(
        new ChatException(ErrorCode.UNAUTHORIZED, "tokens are not accepted here"));
  }

  @Override
  public String issueToken(Principal principal) {
    throw new IllegalStateException("no token secret is configured (security.token-secrets)");
  }

  @Override
  public void close() {}
}
