package dev.hachat.server.session;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Bounds the restores one instance runs at once ({@code ha.restore-concurrency}) and orders the
 * ones waiting: a restore a client is waiting for goes before any restore in the background (the
 * proactive restore, the orphan sweep), and a background one a client then asks for moves up.
 * Without the bound, the thousands of clients of a dead instance each start a restore at once: the
 * store's queue grows until this instance's own heartbeat waits behind it, the lease lapses, every
 * chat held is fenced and restored again (measured: 10,000 chats at {@code heartbeat-timeout} 1 s
 * never came back within a minute).
 *
 * <p>Waiting needs no bound of its own: one entry per chat at most (concurrent restores of one chat
 * share one), so never more than the chats asked for. Thread-safe (a monitor: every method is a few
 * steps on two queues; the Futures are completed outside it).
 */
final class RestoreGate {
  /** A place in the gate; {@link #leave} once the restore let in is done. */
  final class Ticket {
    private final Promise<Void> admitted = Promise.promise();
    private boolean client;
    private boolean in;

    /** Completes when the restore may run. */
    Future<Void> admitted() {
      return admitted.future();
    }

    /** A client now waits for this restore: it goes before the background ones still queued. */
    void clientWaits() {
      synchronized (RestoreGate.this) {
        if (client || in) {
          client = true;
          return;
        }
        client = true;
        if (background.remove(this)) {
          clients.add(this);
        }
      }
    }

    /** The restore ended (or never ran): lets the next one in. */
    void leave() {
      Ticket next;
      synchronized (RestoreGate.this) {
        if (!in) {
          clients.remove(this);
          background.remove(this);
          return;
        }
        in = false;
        running--;
        next = nextLocked();
      }
      if (next != null) {
        next.admitted.complete();
      }
    }
  }

  private final int concurrency;
  private final ArrayDeque<Ticket> clients = new ArrayDeque<>();
  private final ArrayDeque<Ticket> background = new ArrayDeque<>();
  private int running;

  RestoreGate(int concurrency) {
    this.concurrency = Math.max(1, concurrency);
  }

  /** A ticket, admitted at once if a place is free, else queued ({@code client} first). */
  Ticket enter(boolean client) {
    Ticket t = new Ticket();
    Ticket next;
    synchronized (this) {
      t.client = client;
      (client ? clients : background).add(t);
      next = nextLocked();
    }
    if (next != null) {
      next.admitted.complete();
    }
    return t;
  }

  /** Restores running now. */
  synchronized int running() {
    return running;
  }

  /** Restores waiting for a place. */
  synchronized int waiting() {
    return clients.size() + background.size();
  }

  /** Takes the next ticket in if a place is free (clients first); the caller completes it. */
  private Ticket nextLocked() {
    if (running >= concurrency) {
      return null;
    }
    Iterator<Ticket> it = !clients.isEmpty() ? clients.iterator() : background.iterator();
    if (!it.hasNext()) {
      return null;
    }
    Ticket t = it.next();
    it.remove();
    t.in = true;
    running++;
    return t;
  }
}
