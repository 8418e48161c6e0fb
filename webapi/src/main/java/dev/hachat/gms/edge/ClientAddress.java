package dev.hachat.gms.edge;

import java.util.Collection;
import java.util.List;

/**
 * The address a request is counted against (rate limits): the TCP peer, or, when the peer is a
 * trusted proxy ({@code edge.trusted-proxies}), the last entry of {@code X-Forwarded-For} (the one
 * that proxy added; earlier entries are the client's own claim and are ignored). Several header
 * lines count as one list in their order (RFC 9110), so a proxy that appends its own line after the
 * client's (HAProxy's {@code option forwardfor}) is still the last.
 */
public final class ClientAddress {
  private ClientAddress() {}

  /**
   * @param forwardedFor every {@code X-Forwarded-For} line of the request, in order (may be empty)
   */
  public static String of(
      String peer, List<String> forwardedFor, Collection<String> trustedProxies) {
    if (peer == null || forwardedFor.isEmpty() || !trustedProxies.contains(peer)) {
      return peer;
    }
    String[] hops = String.join(",", forwardedFor).split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (!hop.isEmpty()) {
        return hop;
      }
    }
    return peer;
  }
}
