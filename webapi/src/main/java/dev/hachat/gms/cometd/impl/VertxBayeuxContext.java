package dev.hachat.gms.cometd.impl;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cometd.server.websocket.common.AbstractBayeuxContext;

/**
 * What CometD may ask about the HTTP request behind a Bayeux message (headers, cookies, addresses),
 * copied from the Vert.x request when it arrives so that it can be read from any thread later.
 */
final class VertxBayeuxContext extends AbstractBayeuxContext {

  VertxBayeuxContext(HttpServerRequest request) {
    super(
        request.absoluteURI(),
        "",
        null,
        toMap(request.headers()),
        toMap(request.params()),
        null,
        address(request.localAddress()),
        address(request.remoteAddress()),
        List.of(),
        request.version() == HttpVersion.HTTP_2 ? "HTTP/2.0" : "HTTP/1.1",
        request.isSSL());
  }

  private static Map<String, List<String>> toMap(MultiMap multiMap) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (String name : multiMap.names()) {
      map.put(name, new ArrayList<>(multiMap.getAll(name)));
    }
    return map;
  }

  private static java.net.SocketAddress address(SocketAddress address) {
    if (address == null || address.host() == null) {
      return null;
    }
    return InetSocketAddress.createUnresolved(address.host(), address.port());
  }
}
