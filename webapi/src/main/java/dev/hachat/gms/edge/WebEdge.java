package dev.hachat.gms.edge;

import dev.hachat.gms.config.EdgeOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.CSPHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.XFrameHandler;
import java.util.List;
import java.util.Set;

/**
 * Mounts, before every other route, the handlers that make the web API server safe to put in front
 * of browsers (vertx-web's own handlers, not hand-written headers):
 *
 * <ul>
 *   <li>on every response: {@code Content-Security-Policy} (scripts, styles, connections only from
 *       this origin; {@code frame-ancestors} from {@code edge.frame-ancestors}), {@code
 *       X-Frame-Options} to match, {@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy:
 *       no-referrer};
 *   <li>on the API paths, when {@code edge.cors-allowed-origins} lists any: CORS for exactly those
 *       origins (POST, GET, {@code content-type}); otherwise no CORS header at all, so a page of
 *       another site cannot read an answer.
 * </ul>
 */
public final class WebEdge {
  private WebEdge() {}

  /**
   * @param apiPaths route patterns of the API (e.g. {@code /genesys/*}, the CometD path + {@code
   *     *})
   */
  public static void mount(Router router, EdgeOptions options, List<String> apiPaths) {
    String ancestors = options.getFrameAncestors();
    router
        .route()
        .handler(
            CSPHandler.create()
                .addDirective("default-src", "'self'")
                .addDirective("base-uri", "'none'")
                .addDirective("form-action", "'self'")
                .addDirective("object-src", "'none'")
                .addDirective("frame-ancestors", ancestors));
    if ("'self'".equals(ancestors)) {
      router.route().handler(XFrameHandler.create(XFrameHandler.SAMEORIGIN));
    } else if ("'none'".equals(ancestors)) {
      router.route().handler(XFrameHandler.create(XFrameHandler.DENY));
    }
    router
        .route()
        .handler(
            ctx -> {
              ctx.response()
                  .putHeader("X-Content-Type-Options", "nosniff")
                  .putHeader("Referrer-Policy", "no-referrer");
              ctx.next();
            });
    if (!options.getCorsAllowedOrigins().isEmpty()) {
      for (String path : apiPaths) {
        router
            .route(path)
            .handler(
                CorsHandler.create()
                    .addOrigins(options.getCorsAllowedOrigins())
                    .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS))
                    .allowedHeader("content-type")
                    .maxAgeSeconds(600));
      }
    }
  }
}
