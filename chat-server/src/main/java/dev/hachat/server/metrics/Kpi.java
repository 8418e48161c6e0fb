package dev.hachat.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The instance's KPI counters. Thread-safe (Micrometer meters are). Each counter {@code x} is
 * exported to Prometheus as {@code hachat_x_total}; {@link #toJson()} gives the KPI names.
 */
public final class Kpi {
  private final MeterRegistry registry;
  private final Counter sessionCreated;
  private final Counter sessionClosed;
  private final Counter sessionRejected;
  private final Counter messagesIn;
  private final Counter messagesOut;
  private final Counter saveFailures;
  private final Counter duplicateSends;
  private final Counter slowConsumers;
  private final Timer saveLatency;
  private final Timer deliverLatency;
  private final Counter sessionRestored;
  private final Counter sessionRestoreFailed;
  private final Counter sessionPurged;
  private final Counter leaseLost;
  private final Counter sessionEvacuated;
  private final Timer restoreLatency;
  private final Counter finalWritten;
  private final Counter finalFailures;
  private final Counter finalRejected;
  private final Counter finalSweepFailures;
  private final Counter orphanClosed;
  private final Counter orphanFailures;
  private final Counter restoredProactively;
  private final LimitKpi limits;
  private final ErrorKpi errors;
  private final RoomKpi rooms;
  private Supplier<Number> activeSessions = () -> 0;
  private java.util.function.BooleanSupplier storeAvailable = () -> true;

  public Kpi(MeterRegistry registry) {
    this.registry = registry;
    // Not "session.created": Prometheus reserves the "_created" suffix and would strip it.
    this.sessionCreated = counter("session_creations", "Sessions created on this instance");
    this.sessionClosed = counter("session_closed", "Sessions closed on this instance");
    this.sessionRejected =
        counter("session_rejected", "Session requests refused (limit reached, disabled)");
    this.messagesIn = counter("messages_in", "Messages received from participants");
    this.messagesOut = counter("messages_out", "Transcript entries pushed to connected clients");
    this.saveFailures =
        counter("transcript_save_failures", "Transcript saves that failed (each attempt)");
    this.duplicateSends =
        counter("messages_duplicate", "Sends answered from an earlier send with the same id");
    this.slowConsumers =
        counter("slow_consumer_disconnects", "Push connections closed for falling behind");
    this.sessionRestored =
        counter("session_restored", "Sessions restored here after their owner died");
    this.sessionRestoreFailed =
        counter("session_restore_failed", "Restores that failed (store trouble)");
    this.sessionPurged =
        counter("session_purged", "Stale copies dropped because another instance owns them");
    this.leaseLost =
        counter(
            "lease_lost",
            "Times this instance lost its lease (no heartbeat in time) and fenced what it held");
    this.sessionEvacuated =
        counter(
            "session_evacuated",
            "Sessions handed to other instances (evacuate, drain deadline, graceful stop)");
    this.finalWritten =
        counter("final_transcripts_written", "Final transcripts written to the contact history");
    this.finalFailures =
        counter("final_transcript_failures", "Final transcript writes that failed (each attempt)");
    this.finalRejected =
        counter(
            "final_transcript_rejected",
            "Final transcripts the contact history refused as data (written with U+FFFD)");
    this.finalSweepFailures =
        counter(
            "final_sweep_failures",
            "Steps of the final-transcript sweep that failed (outbox reads, clean-ups)");
    this.orphanClosed =
        counter(
            "sessions_orphan_closed",
            "Open chats of a dead instance adopted and closed OWNER_LOST by this one");
    this.orphanFailures =
        counter("orphan_sweep_failures", "Orphan adoptions or sweep reads that failed");
    this.restoredProactively =
        counter(
            "session_restored_proactively",
            "Chats of a dead instance restored here at once, before any client asked");
    this.restoreLatency =
        Timer.builder("hachat.session.restore.latency")
            .description("Time to load, claim and rebuild one session")
            .publishPercentileHistogram()
            .register(registry);
    this.saveLatency =
        Timer.builder("hachat.transcript.save.latency")
            .description("Time to save one batch of transcript entries")
            .publishPercentileHistogram()
            .register(registry);
    this.deliverLatency =
        Timer.builder("hachat.message.deliver.latency")
            .description(
                "Time from a message's arrival to its delivery to the connected parties (the save"
                    + " included)")
            .publishPercentileHistogram()
            .register(registry);
    this.limits = new LimitKpi(registry);
    this.errors = new ErrorKpi(registry);
    this.rooms = new RoomKpi(registry);
  }

  /** The counters of the abuse limits. */
  public LimitKpi limits() {
    return limits;
  }

  /** The error answers by code and port. */
  public ErrorKpi errors() {
    return errors;
  }

  /** The persistent rooms' counters and gauges. */
  public RoomKpi rooms() {
    return rooms;
  }

  private Counter counter(String name, String description) {
    return Counter.builder("hachat." + name.replace('_', '.'))
        .description(description)
        .register(registry);
  }

  /** Registers the gauge of open sessions; called once by the engine. */
  public void activeSessions(Supplier<Number> supplier) {
    this.activeSessions = supplier;
    Gauge.builder("hachat.sessions.active", () -> this.activeSessions.get().doubleValue())
        .description("Open sessions held by this instance")
        .register(registry);
  }

  /** Registers the store status gauge (1 available, 0 unavailable); called once at start. */
  public void storeAvailable(java.util.function.BooleanSupplier supplier) {
    this.storeAvailable = supplier;
    Gauge.builder("hachat.store.available", () -> this.storeAvailable.getAsBoolean() ? 1 : 0)
        .description("1 while the transcript store answers, 0 while it fails or times out")
        .register(registry);
  }

  /** Registers the gauge of final transcript writes begun and not done yet (retries included). */
  public void finalTranscriptsPending(Supplier<Number> supplier) {
    Gauge.builder("hachat.final.transcripts.pending", () -> supplier.get().doubleValue())
        .description("Final transcript writes begun and not finished yet (retrying ones too)")
        .register(registry);
  }

  /**
   * Registers the gauges of the restore gate ({@code ha.restore-concurrency}): restores running now
   * and restores queued behind them; called once by the engine.
   */
  public void restores(Supplier<Number> running, Supplier<Number> waiting) {
    Gauge.builder("hachat.restores.running", () -> running.get().doubleValue())
        .description("Session restores running now (at most ha.restore-concurrency)")
        .register(registry);
    Gauge.builder("hachat.restores.waiting", () -> waiting.get().doubleValue())
        .description("Session restores queued for a place (clients' first, then background)")
        .register(registry);
  }

  public boolean storeAvailable() {
    return storeAvailable.getAsBoolean();
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void sessionCreated() {
    sessionCreated.increment();
  }

  public void sessionClosed() {
    sessionClosed.increment();
  }

  public void sessionRejected() {
    sessionRejected.increment();
  }

  public void messageIn() {
    messagesIn.increment();
  }

  public void messagesOut(int n) {
    messagesOut.increment(n);
  }

  public void saveFailure() {
    saveFailures.increment();
  }

  public void duplicateSend() {
    duplicateSends.increment();
  }

  public void slowConsumer() {
    slowConsumers.increment();
  }

  public void sessionRestored(long nanos) {
    sessionRestored.increment();
    restoreLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void sessionRestoreFailed() {
    sessionRestoreFailed.increment();
  }

  public void sessionPurged() {
    sessionPurged.increment();
  }

  public void leaseLost() {
    leaseLost.increment();
  }

  public void sessionEvacuated() {
    sessionEvacuated.increment();
  }

  public void finalTranscriptWritten() {
    finalWritten.increment();
  }

  public void finalTranscriptFailure() {
    finalFailures.increment();
  }

  public void finalTranscriptRejected() {
    finalRejected.increment();
  }

  public void finalSweepFailure() {
    finalSweepFailures.increment();
  }

  public void sessionOrphanClosed() {
    orphanClosed.increment();
  }

  public void sessionRestoredProactively() {
    restoredProactively.increment();
  }

  public void orphanSweepFailure() {
    orphanFailures.increment();
  }

  public void saveLatency(long nanos) {
    saveLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A message was handed to its connected parties {@code millis} after it arrived. */
  public void deliverLatency(long millis) {
    deliverLatency.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
  }

  /** The KPI counters by their documented names. */
  public JsonObject toJson() {
    JsonObject kpi = new JsonObject();
    limits.addTo(kpi);
    rooms.addTo(kpi);
    errors.addTo(kpi);
    return kpi.put("session_created", (long) sessionCreated.count())
        .put("session_closed", (long) sessionClosed.count())
        .put("session_rejected", (long) sessionRejected.count())
        .put("session_restored", (long) sessionRestored.count())
        .put("session_restore_failed", (long) sessionRestoreFailed.count())
        .put("session_purged", (long) sessionPurged.count())
        .put("lease_lost", (long) leaseLost.count())
        .put("session_evacuated", (long) sessionEvacuated.count())
        .put("session_restore_mean_ms", restoreLatency.mean(TimeUnit.MILLISECONDS))
        .put("sessions_active", activeSessions.get().longValue())
        .put("store_available", storeAvailable.getAsBoolean())
        .put("messages_in", (long) messagesIn.count())
        .put("messages_out", (long) messagesOut.count())
        .put("messages_duplicate", (long) duplicateSends.count())
        .put("transcript_save_failures", (long) saveFailures.count())
        .put("final_transcripts_written", (long) finalWritten.count())
        .put("final_transcript_failures", (long) finalFailures.count())
        .put("final_transcript_rejected", (long) finalRejected.count())
        .put("final_sweep_failures", (long) finalSweepFailures.count())
        .put("sessions_orphan_closed", (long) orphanClosed.count())
        .put("orphan_sweep_failures", (long) orphanFailures.count())
        .put("session_restored_proactively", (long) restoredProactively.count())
        .put("slow_consumer_disconnects", (long) slowConsumers.count())
        .put("transcript_save_count", saveLatency.count())
        .put("transcript_save_mean_ms", saveLatency.mean(TimeUnit.MILLISECONDS))
        .put("message_deliver_count", deliverLatency.count())
        .put("message_deliver_mean_ms", deliverLatency.mean(TimeUnit.MILLISECONDS))
        .put("message_deliver_max_ms", deliverLatency.max(TimeUnit.MILLISECONDS));
  }
}
