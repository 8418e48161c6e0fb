package dev.hachat.gms.cometd.impl;

import dev.hachat.common.limit.WriteBudget;
import io.vertx.core.Context;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cometd.bayeux.ChannelId;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.ServerMessageImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds what waits for each Bayeux client, in messages ({@code cometd.max-queue}, CometD's own
 * count of its session queue) and in bytes ({@code cometd.max-queued-bytes}). A message counts its
 * serialized size from its delivery to the session until the transport has written it (a WebSocket
 * frame's write completed, a long-polling response written): messages CometD took from the queue
 * into its WebSocket flusher, which goes on taking while a client that does not read keeps
 * publishing, still count. A message that would pass either bound is dropped and the client is
 * disconnected as slow, once: its feeds stop, and it handshakes again and resumes with {@code
 * requestNotifications} from its last position. {@code /meta} messages (the slow client's own
 * {@code /meta/disconnect}) are neither counted nor dropped.
 *
 * <p>Threading: CometD calls the listeners on the thread that delivers (the endpoint's context) and
 * {@link #written} on the thread that wrote; each session's count is a {@link WriteBudget}
 * (atomic). Disconnecting is a later task of the endpoint's context.
 */
final class SlowClients implements BayeuxServer.SessionListener {

  /** Which bound a slow client passed (a KPI tag). */
  enum Limit {
    MESSAGES,
    BYTES
  }

  /** Told of each client disconnected as slow. */
  interface Listener {
    void disconnected(Limit limit);
  }

  private static final Logger LOG = LoggerFactory.getLogger(SlowClients.class);
  private static final String WATCH = "hachat.slowClients";

  /** One session's bytes not yet written, and whether it was found slow. */
  private record Watch(WriteBudget budget, AtomicBoolean slow) {}

  private final Context context;
  private final long maxBytes;
  private final Listener listener;

  SlowClients(Context context, long maxBytes, Listener listener) {
    this.context = context;
    this.maxBytes = maxBytes;
    this.listener = listener;
  }

  @Override
  public void sessionAdded(ServerSession session, ServerMessage message) {
    if (session.isLocalSession()) {
      return; // delivered in-process, never written by a transport: nothing would release it
    }
    // Messages are CometD's to count (its queue); the budget only counts bytes.
    Watch watch = new Watch(new WriteBudget(Integer.MAX_VALUE, maxBytes), new AtomicBoolean());
    session.setAttribute(WATCH, watch);
    session.addListener(
        (ServerSession.QueueMaxedListener)
            (s, queue, sender, m) -> {
              if (ChannelId.isMeta(m.getChannel())) {
                return true; // let the /meta/disconnect of a slow client through
              }
              slow(s, watch, Limit.MESSAGES, queue.size() + " messages not taken");
              return false;
            });
    session.addListener(
        new ServerSession.MessageListener() {
          @Override
          public boolean onMessage(ServerSession s, ServerSession sender, ServerMessage m) {
            int size = size(m);
            if (ChannelId.isMeta(m.getChannel()) || watch.budget().tryTake(size)) {
              return true;
            }
            long waiting = watch.budget().bytes();
            slow(s, watch, Limit.BYTES, waiting + " bytes not written and " + size + " more");
            return false;
          }
        });
  }

  @Override
  public void sessionRemoved(ServerSession session, ServerMessage message, boolean timeout) {}

  /** The transport has written {@code messages} to {@code session}'s client. */
  static void written(ServerSession session, List<ServerMessage> messages) {
    if (session == null || !(session.getAttribute(WATCH) instanceof Watch watch)) {
      return;
    }
    for (ServerMessage m : messages) {
      if (!ChannelId.isMeta(m.getChannel())) {
        watch.budget().release(size(m));
      }
    }
  }

  /** The serialized size of a message CometD has frozen (it does before any session listener). */
  private static int size(ServerMessage m) {
    byte[] json = m instanceof ServerMessageImpl impl ? impl.getJSONBytes() : null;
    return json == null ? 0 : json.length;
  }

  private void slow(ServerSession session, Watch watch, Limit limit, String what) {
    if (watch.slow().compareAndSet(false, true)) {
      LOG.warn("[cometd|{}] slow client: {}, disconnecting it", session.getId(), what);
      listener.disconnected(limit);
      context.runOnContext(v -> session.disconnect()); // not from inside CometD's delivery
    }
  }
}
