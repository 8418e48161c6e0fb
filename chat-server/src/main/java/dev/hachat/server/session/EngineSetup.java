package dev.hachat.server.session;

import dev.hachat.server.config.SessionOptions;
import dev.hachat.server.config.TranscriptOptions;
import dev.hachat.server.metrics.Kpi;
import dev.hachat.store.spi.TranscriptStore;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * What every part of one engine shares: its Vert.x, its instance's id, the transcript store, the
 * session and transcript options, the counters and the wall clock. Immutable.
 */
record EngineSetup(
    Vertx vertx,
    String instanceId,
    TranscriptStore store,
    SessionOptions sessionOptions,
    TranscriptOptions transcriptOptions,
    Kpi kpi,
    Clock clock) {}
