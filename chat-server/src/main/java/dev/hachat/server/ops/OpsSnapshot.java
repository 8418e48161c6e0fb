package dev.hachat.server.ops;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The operator procedures' state at one moment: the drain (if one was ever started) and the last
 * evacuation's report. Immutable: {@link Operations} replaces it on its context, any thread reads
 * it (the admin port's state table, {@code /health}).
 *
 * @param drainState {@code null} (never drained), {@code draining}, {@code evacuating}, {@code
 *     done} or {@code cancelled}
 * @param drainStartedAt epoch millis the drain started
 * @param drainDeadlineAt epoch millis it evacuates what is left, or -1 (no deadline)
 * @param lastEvacuation the last evacuation's report, or {@code null}
 */
public record OpsSnapshot(
    String drainState, long drainStartedAt, long drainDeadlineAt, EvacuationReport lastEvacuation) {

  /** Nothing done yet. */
  static final OpsSnapshot NONE = new OpsSnapshot(null, -1, -1, null);

  boolean draining() {
    return "draining".equals(drainState);
  }

  boolean evacuatingForDrain() {
    return "evacuating".equals(drainState);
  }

  OpsSnapshot withDrain(String state, long startedAt, long deadlineAt) {
    return new OpsSnapshot(state, startedAt, deadlineAt, lastEvacuation);
  }

  OpsSnapshot withDrainState(String state) {
    return new OpsSnapshot(state, drainStartedAt, drainDeadlineAt, lastEvacuation);
  }

  OpsSnapshot withLastEvacuation(EvacuationReport report) {
    return new OpsSnapshot(drainState, drainStartedAt, drainDeadlineAt, report);
  }

  /** The drain as the admin port shows it at {@code nowMillis}, or {@code null} if none. */
  JsonObject drainJson(long nowMillis) {
    if (drainState == null) {
      return null;
    }
    JsonObject d =
        new JsonObject()
            .put("state", drainState)
            .put("startedAt", Instant.ofEpochMilli(drainStartedAt).toString());
    if (drainDeadlineAt >= 0) {
      d.put("deadline", Instant.ofEpochMilli(drainDeadlineAt).toString())
          .put("deadlineInMs", Math.max(0, drainDeadlineAt - nowMillis));
    }
    return d;
  }
}
