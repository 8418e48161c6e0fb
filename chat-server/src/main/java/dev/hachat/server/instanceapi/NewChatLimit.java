package dev.hachat.server.instanceapi;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.common.limit.ClientAddress;
import dev.hachat.common.limit.KeyedRateLimiter;
import dev.hachat.server.config.WebApiPortOptions;
import dev.hachat.server.metrics.LimitKpi;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The per-address limit of new chats on this port ({@code webapi.new-chats-per-minute}, {@code
 * webapi.new-chats-burst}; docs/security.md): the same token bucket per address as the web API
 * server's edge. Web API servers call this port for many customers, so the address counted is the
 * customer's, as the caller names it in {@code X-Forwarded-For} when it may name it:
 *
 * <ul>
 *   <li>security on: a new chat needs a peer token already (checked before this handler), and a
 *       peer's {@code X-Forwarded-For} names the customer. A peer that names none (a web API server
 *       of an older release) is not counted here: its own edge limit counts its customers, and
 *       counting it as one address would refuse all of them together.
 *   <li>open mode (no credentials, every listener on loopback): the caller's {@code
 *       X-Forwarded-For} if it sends one, else its TCP address.
 * </ul>
 *
 * Over the limit: 429 {@code RATE_LIMITED} (retryable), counted in {@code limit_new_chats}; nothing
 * is created.
 *
 * <p>Threading: any event loop (the limiter is thread-safe); {@link #evictIdle} from a timer.
 */
final class NewChatLimit implements Handler<RoutingContext> {
  /** Most customer addresses whose buckets are held at once (as at the web API server's edge). */
  static final int MAX_ADDRESSES = 100_000;

  private final KeyedRateLimiter limiter;
  private final boolean secured;
  private final LimitKpi kpi;

  /**
   * @param secured whether callers proved they are peers (security on) before this handler
   */
  NewChatLimit(WebApiPortOptions options, boolean secured, LimitKpi kpi) {
    this.limiter =
        KeyedRateLimiter.create(
            options.getNewChatsPerMinute(), options.getNewChatsBurst(), MAX_ADDRESSES);
    this.secured = secured;
    this.kpi = kpi;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String key = key(ctx);
    if (key == null || limiter.tryAcquire(key)) {
      ctx.next();
      return;
    }
    kpi.newChatLimited();
    ctx.fail(
        new ChatException(
            ErrorCode.RATE_LIMITED,
            "too many new chats from this address; wait a minute and try again"));
  }

  /** The address {@code ctx} counts against, or null when it is not counted here. */
  private String key(RoutingContext ctx) {
    String named =
        ClientAddress.lastForwarded(ctx.request().headers().getAll(ClientAddress.FORWARDED_FOR));
    if (named != null || secured) {
      return named;
    }
    var peer = ctx.request().remoteAddress();
    return peer == null || peer.hostAddress() == null ? "unknown" : peer.hostAddress();
  }

  /** Forgets addresses idle for {@link KeyedRateLimiter#IDLE_EVICTION}. */
  void evictIdle() {
    limiter.evictIdle();
  }
}
