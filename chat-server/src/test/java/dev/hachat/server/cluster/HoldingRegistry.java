package dev.hachat.server.cluster;

import dev.hachat.common.confined.OwnContext;
import dev.hachat.store.InstanceRecord;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.spi.InstanceRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;

/**
 * An in-memory registry that can hold back the answers of polls and heartbeats, and counts the
 * calls made off the context a test expects them on.
 */
final class HoldingRegistry implements InstanceRegistry {
  final InstanceRegistry delegate = TranscriptStores.inMemoryRegistry();
  final Queue<Runnable> held = new ConcurrentLinkedQueue<>();
  final AtomicInteger lists = new AtomicInteger();
  final AtomicInteger offContext = new AtomicInteger();
  volatile boolean holding;
  volatile OwnContext expected;

  private <T> Future<T> maybeHeld(Future<T> f) {
    OwnContext on = expected;
    if (on != null && !on.isCurrent()) {
      offContext.incrementAndGet();
    }
    if (!holding) {
      return f;
    }
    Promise<T> p = Promise.promise();
    held.add(() -> f.onComplete(p));
    return p.future();
  }

  /** Waits until {@code calls} heartbeats and polls are held back. */
  void awaitHeld(int calls) {
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> held.size() >= calls);
  }

  /** Answers what was held back (on the calling thread) and holds nothing more. */
  void release() {
    holding = false;
    Runnable r;
    while ((r = held.poll()) != null) {
      r.run();
    }
  }

  @Override
  public Future<Void> heartbeat(InstanceRecord record) {
    return maybeHeld(delegate.heartbeat(record));
  }

  @Override
  public Future<List<InstanceRecord>> list() {
    lists.incrementAndGet();
    return maybeHeld(delegate.list());
  }

  @Override
  public Future<Void> remove(String instanceId) {
    return delegate.remove(instanceId);
  }
}
