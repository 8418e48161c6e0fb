package dev.hachat.server.room;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.limit.KeyedRateLimiter;
import dev.hachat.server.config.RoomOptions;
import dev.hachat.server.metrics.RoomKpi;
import dev.hachat.store.spi.RoomStore;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.function.Function;

/**
 * What every room of an instance shares, fixed at start.
 *
 * @param notOwner the {@code NOT_OWNER} answer naming an instance (with its addresses when known)
 * @param posts the rate limit of posts, by member and room ({@code rooms.posts-*})
 */
record RoomSetup(
    Vertx vertx,
    String instanceId,
    RoomStore store,
    RoomOptions options,
    RoomKpi kpi,
    Clock clock,
    Function<String, ChatException> notOwner,
    KeyedRateLimiter posts) {}
