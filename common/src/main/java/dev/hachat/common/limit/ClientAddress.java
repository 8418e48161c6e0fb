package dev.hachat.common.limit;

import java.util.Collection;
import java.util.List;

/**
 * The address a request is counted against (rate limits): the TCP peer, or, when the peer is
 * trusted to name its client (a proxy in {@code edge.trusted-proxies}; a web API server calling an
 * instance with its peer token), the last entry of {@code X-Forwarded-For} (the one that peer
 * added; earlier entries are the client's own claim and are ignored). Several header lines count as
 * one list in their order (RFC 9110), so a proxy that appends its own line after the client's
 * (HAProxy's {@code option forwardfor}) is still the last.
 *
 * <p>Threading: any thread (stateless).
 */
public final class ClientAddress {
  /** The header a trusted peer names its client in. */
  public static final String FORWARDED_FOR = "X-Forwarded-For";

  private ClientAddress() {}

  /**
   * @param forwardedFor every {@code X-Forwarded-For} line of the request, in order (may be empty)
   */
  public static String of(
      String peer, List<String> forwardedFor, Collection<String> trustedProxies) {
    if (peer == null || !trustedProxies.contains(peer)) {
      return peer;
    }
    String last = lastForwarded(forwardedFor);
    return last == null ? peer : last;
  }

  /**
   * The last non-empty entry of {@code forwardedFor} (every header line, in order), or null when
   * there is none.
   */
  public static String lastForwarded(List<String> forwardedFor) {
    if (forwardedFor.isEmpty()) {
      return null;
    }
    String[] hops = String.join(",", forwardedFor).split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (!hop.isEmpty()) {
        return hop;
      }
    }
    return null;
  }
}
