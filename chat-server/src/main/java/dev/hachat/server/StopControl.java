package dev.hachat.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the process ends (docs/operations.md, graceful stop). The first SIGTERM starts {@link
 * ChatServer#stopGracefully()}: exit code 0 once the chats are handed over and the instance is
 * deregistered. A second SIGTERM, or {@code ops.stop-timeout} after the first, stops at once
 * ({@link ChatServer#stop()}, chats left behind are restored elsewhere): exit code 1. Thread-safe.
 */
final class StopControl {
  private static final Logger LOG = LoggerFactory.getLogger(StopControl.class);

  /** Longest wait for the immediate stop (deregister, close) before exiting anyway. */
  private static final long FORCED_STOP_WAIT_SECONDS = 10;

  private final ChatServer server;
  private final long stopTimeoutMs;
  private final AtomicInteger terms = new AtomicInteger();
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  StopControl(ChatServer server, long stopTimeoutMs) {
    this.server = server;
    this.stopTimeoutMs = stopTimeoutMs;
  }

  /** Called on the signal thread for each SIGTERM. */
  void onSigterm() {
    int n = terms.incrementAndGet();
    if (n == 1) {
      LOG.info("[{}] SIGTERM: graceful stop", server.instanceId());
      server
          .stopGracefully()
          .onComplete(
              ar -> {
                if (ar.failed()) {
                  LOG.warn("[{}] graceful stop failed: {}", server.instanceId(), ar.cause());
                }
                exit.complete(ar.succeeded() ? 0 : 1);
              });
      Thread deadline =
          new Thread(
              () -> {
                try {
                  exit.get(stopTimeoutMs, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                  forceStop("ops.stop-timeout passed");
                } catch (Exception e) {
                  // the exit code is set
                }
              },
              "hachat-stop-deadline");
      deadline.setDaemon(true);
      deadline.start();
    } else if (n == 2) {
      Thread t = new Thread(() -> forceStop("second SIGTERM"), "hachat-forced-stop");
      t.setDaemon(true);
      t.start();
    }
  }

  private void forceStop(String why) {
    if (exit.isDone()) {
      return;
    }
    LOG.warn("[{}] {}: stopping at once", server.instanceId(), why);
    try {
      server
          .stop()
          .toCompletionStage()
          .toCompletableFuture()
          .get(FORCED_STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("[{}] stop did not complete: {}", server.instanceId(), e.toString());
    }
    exit.complete(1);
  }

  /** Blocks until a SIGTERM's stop decided the exit code. */
  int exitCode() throws InterruptedException {
    try {
      return exit.get();
    } catch (java.util.concurrent.ExecutionException e) {
      return 1;
    }
  }

  /** For the shutdown hook: stops (at once, if nothing did yet) and waits up to {@code seconds}. */
  void awaitStopped(long seconds) {
    try {
      server.stop().toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("hachat: stop did not complete: " + e);
    }
  }
}
