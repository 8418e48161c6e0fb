package dev.hachat.common.auth.impl;

import dev.hachat.common.auth.Authenticator;
import dev.hachat.common.auth.Principal;
import dev.hachat.common.auth.Role;
import dev.hachat.common.auth.SecurityOptions;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.common.limit.KeyedRateLimiter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.hashing.HashingStrategy;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Authenticator} on Vert.x Auth: PBKDF2 password hashes ({@link HashingStrategy}) and HS256
 * JWTs ({@link JWTAuth}). The accounts are an immutable snapshot swapped in whole when the file
 * changes (checked every {@link #RELOAD_INTERVAL_MS} off the event loop).
 *
 * <p>Threading: any thread. The snapshot is one volatile reference; the limiters are thread-safe.
 */
public final class AuthenticatorImpl implements Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(AuthenticatorImpl.class);

  /** How often the accounts file is checked for a change. */
  static final long RELOAD_INTERVAL_MS = 5_000;

  /** Checked for an unknown account, so it costs as much as a known one with a wrong password. */
  private static final String DUMMY_HASH =
      HashingStrategy.load().hash("pbkdf2", null, "c2FsdHNhbHRzYWx0c2FsdA", "not-a-password");

  private static final ChatException WRONG =
      new ChatException(ErrorCode.UNAUTHORIZED, "wrong account or password");

  private final Vertx vertx;
  private final SecurityOptions options;
  private final HashingStrategy hashing = HashingStrategy.load();
  private final JWTAuth jwt;

  /** Signs with the first secret only: a JWTAuth with several HS256 keys may sign with any. */
  private final JWTAuth signer;

  private final KeyedRateLimiter failuresByAddress;
  private final KeyedRateLimiter failuresByAccount;
  private volatile Accounts accounts = Accounts.NONE;
  private volatile FileTime accountsModified;
  private long reloadTimer = -1;

  private AuthenticatorImpl(Vertx vertx, SecurityOptions options) {
    this.vertx = vertx;
    this.options = options;
    List<String> secrets = options.getTokenSecrets();
    this.jwt = secrets.isEmpty() ? null : jwt(vertx, secrets);
    this.signer = secrets.isEmpty() ? null : jwt(vertx, secrets.subList(0, 1));
    int perMinute = options.getLoginFailuresPerMinute();
    this.failuresByAddress = KeyedRateLimiter.create(perMinute, perMinute, 100_000);
    this.failuresByAccount = KeyedRateLimiter.create(perMinute, perMinute, 100_000);
  }

  public static Future<Authenticator> create(Vertx vertx, SecurityOptions options) {
    AuthenticatorImpl a = new AuthenticatorImpl(vertx, options);
    if (options.getAccountsFile().isEmpty()) {
      return Future.succeededFuture(a);
    }
    return a.reload()
        .map(
            v -> {
              a.reloadTimer =
                  vertx.setPeriodic(
                      RELOAD_INTERVAL_MS,
                      t ->
                          a.reload()
                              .onFailure(
                                  e ->
                                      LOG.warn(
                                          "accounts file {} not reloaded, the previous accounts"
                                              + " stay: {}",
                                          options.getAccountsFile(),
                                          e.getMessage())));
              return (Authenticator) a;
            });
  }

  /** The key id of a secret: part of its SHA-256, so tokens name the key that signed them. */
  static String keyId(String secret) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JWTAuth jwt(Vertx vertx, List<String> secrets) {
    JWTAuthOptions o = new JWTAuthOptions();
    for (String secret : secrets) {
      o.addPubSecKey(
          new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret).setId(keyId(secret)));
    }
    o.setJWTOptions(new JWTOptions().setLeeway(5).setIssuer("hachat"));
    return JWTAuth.create(vertx, o);
  }

  private Future<Void> reload() {
    Path file = Path.of(options.getAccountsFile());
    return vertx.executeBlocking(
        () -> {
          FileTime modified = Files.getLastModifiedTime(file);
          if (!modified.equals(accountsModified)) {
            accounts = Accounts.read(file);
            accountsModified = modified;
            LOG.info("accounts file {} read: {} accounts", file, accounts.byId().size());
          }
          return null;
        },
        false);
  }

  @Override
  public boolean enabled() {
    return options.enabled();
  }

  @Override
  public Future<Principal> login(String accountId, String password, String address) {
    String id = accountId == null ? "" : accountId;
    String from = address == null ? "unknown" : address;
    if (!failuresByAddress.available(from) || !failuresByAccount.available(id)) {
      return Future.failedFuture(
          new ChatException(
              ErrorCode.RATE_LIMITED, "too many failed logins; wait a minute and try again"));
    }
    Accounts.Account account = accounts.byId().get(id);
    String hash = account == null ? DUMMY_HASH : account.passwordHash();
    return vertx
        .executeBlocking(() -> password != null && hashing.verify(hash, password), false)
        .recover(e -> Future.succeededFuture(false)) // a malformed hash is a failed login
        .compose(
            ok -> {
              if (ok && account != null) {
                return Future.succeededFuture(new Principal(account.id(), account.roles()));
              }
              failuresByAddress.tryAcquire(from);
              failuresByAccount.tryAcquire(id);
              return Future.failedFuture(WRONG);
            });
  }

  @Override
  public Future<Principal> verifyToken(String token, String address) {
    String from = address == null ? "unknown" : address;
    if (jwt == null || token == null || token.isEmpty()) {
      return Future.failedFuture(
          new ChatException(ErrorCode.UNAUTHORIZED, "tokens are not accepted here"));
    }
    // Checked before the throttle: a signature check is cheap and a secret of 32+ characters is
    // not guessed, so throttling a valid token protects nothing, and would let failures from a
    // web API server's address (anyone on its host) lock its peer token out.
    return jwt.authenticate(new TokenCredentials(token))
        .map(
            user -> {
              JsonObject claims = user.principal();
              Set<Role> roles = EnumSet.noneOf(Role.class);
              JsonArray list = claims.getJsonArray("roles", new JsonArray());
              for (Object r : list) {
                Role.fromWire(String.valueOf(r)).ifPresent(roles::add);
              }
              return new Principal(claims.getString("sub", ""), roles);
            })
        .recover(
            e -> {
              if (!failuresByAddress.available(from)) {
                return Future.failedFuture(
                    new ChatException(
                        ErrorCode.RATE_LIMITED,
                        "too many failed logins; wait a minute and try again"));
              }
              failuresByAddress.tryAcquire(from);
              return Future.failedFuture(
                  new ChatException(ErrorCode.UNAUTHORIZED, "the token is not valid"));
            });
  }

  @Override
  public String issueToken(Principal principal) {
    if (jwt == null) {
      throw new IllegalStateException("no security.token-secrets configured");
    }
    JsonArray roles = new JsonArray();
    principal.roles().forEach(r -> roles.add(r.wireName()));
    return signer.generateToken(
        new JsonObject().put("sub", principal.id()).put("roles", roles),
        new JWTOptions()
            .setAlgorithm("HS256")
            .setIssuer("hachat")
            .setExpiresInSeconds(options.getTokenTtl())
            .setHeader(new JsonObject().put("kid", keyId(options.getTokenSecrets().get(0)))));
  }

  @Override
  public void close() {
    if (reloadTimer >= 0) {
      vertx.cancelTimer(reloadTimer);
    }
  }
}
