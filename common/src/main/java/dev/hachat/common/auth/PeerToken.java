package dev.hachat.common.auth;

import java.util.function.LongSupplier;

/**
 * The {@code Authorization} header this process sends on its calls to other hachat processes: a
 * {@link Role#PEER} token of its own id, minted by the {@link Authenticator} and minted again at
 * half its {@code security.token-ttl}, so a call never carries an expired one. {@code null} when
 * this process has no token secret (open mode: peers run open too, or refuse).
 *
 * <p>Threading: any thread; the cached header is one volatile pair.
 */
public final class PeerToken {
  private record Minted(String header, long expiresNanos) {}

  private final Authenticator auth;
  private final Principal self;
  private final long refreshNanos;
  private final LongSupplier nanoTime;
  private final boolean enabled;
  private volatile Minted minted;

  public PeerToken(Authenticator auth, SecurityOptions options, String processId) {
    this(auth, options, processId, System::nanoTime);
  }

  PeerToken(Authenticator auth, SecurityOptions options, String processId, LongSupplier nanoTime) {
    this.auth = auth;
    this.self = Principal.of(processId, Role.PEER);
    this.refreshNanos = options.getTokenTtl() * 1_000_000_000L / 2;
    this.nanoTime = nanoTime;
    this.enabled = !options.getTokenSecrets().isEmpty();
  }

  /** {@code Bearer <token>}, or null when no token secret is configured. */
  public String header() {
    if (!enabled) {
      return null;
    }
    long now = nanoTime.getAsLong();
    Minted m = minted;
    if (m == null || now - m.expiresNanos() >= 0) {
      m = new Minted("Bearer " + auth.issueToken(self), now + refreshNanos);
      minted = m;
    }
    return m.header();
  }
}
