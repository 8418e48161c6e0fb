package dev.hachat.gms.edge;

import java.util.Collection;

/**
 * The address a request is counted against (rate limits): the TCP peer, or, when the peer is a
 * trusted proxy ({@code edge.trusted-proxies}), the last entry of {@code X-Forwarded-For} (the one
 * that proxy added; earlier entries are the client's own claim and are ignored).
 */
public final class ClientAddress {
  private ClientAddress() {}

  public static String of(String peer, String forwardedFor, Collection<String> trustedProxies) {
    if (peer == null
        || forwardedFor == null
        || forwardedFor.isBlank()
        || !trustedProxies.contains(peer)) {
      return peer;
    }
    String[] hops = forwardedFor.split(",");
    String last = hops[hops.length - 1].trim();
    return last.isEmpty() ? peer : last;
  }
}
