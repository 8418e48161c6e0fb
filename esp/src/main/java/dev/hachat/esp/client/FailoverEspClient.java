package dev.hachat.esp.client;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.store.Entry;
import dev.hachat.store.ReasonCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent desktop's ESP client for a cluster of instances: it follows each chat to whichever
 * instance owns it. When a call is answered {@code NOT_OWNER} with the owner's ESP address it goes
 * there; when an instance does not answer, or answers with a retryable error, it tries another
 * after a random pause (so the agents of a dead instance do not all return in the same instant);
 * when its connection to a chat's instance drops, or the chat moves, it re-attaches the chat at
 * once (restoring it on a survivor), so pushed entries keep coming. Sends keep their {@code
 * clientMessageId} across attempts, so a retried send is never a duplicate, and entries are handed
 * to {@link #onEntry} once each, in index order per chat.
 *
 * <p>Every call fails after {@link FailoverEspClientOptions#getFailoverTimeout()} of trying, or at
 * once for an error retrying cannot fix (wrong key, chat ended, …). Thread-safe.
 */
public final class FailoverEspClient {
  private static final Logger LOG = LoggerFactory.getLogger(FailoverEspClient.class);
  private static final int MAX_REDIRECTS = 5;

  private final Vertx vertx;
  private final FailoverEspClientOptions options;
  private final Endpoints endpoints;
  private final Map<String, Future<EspClient>> connections = new ConcurrentHashMap<>();
  private final Map<String, Seat> seats = new ConcurrentHashMap<>();
  private volatile BiConsumer<String, Entry> onEntry = (c, e) -> {};
  private volatile BiConsumer<String, String> onClosed = (c, r) -> {};
  private volatile BiConsumer<String, String> onMoved = (c, e) -> {};
  private volatile boolean disconnected;
  private final FailoverRooms rooms =
      new FailoverRooms(
          new FailoverRooms.Transport() {
            @Override
            public Future<io.vertx.core.json.JsonObject> call(
                String target,
                BiFunction<EspClient, String, Future<io.vertx.core.json.JsonObject>> op) {
              return FailoverEspClient.this.call(null, target, op);
            }

            @Override
            public String first() {
              return endpoints.first();
            }

            @Override
            public Future<Void> pause() {
              return FailoverEspClient.this.pause();
            }
          });
  private final java.util.concurrent.atomic.AtomicLong retries =
      new java.util.concurrent.atomic.AtomicLong();

  private FailoverEspClient(Vertx vertx, FailoverEspClientOptions options) {
    if (options.getEndpoints().isEmpty()) {
      throw new IllegalArgumentException("at least one ESP endpoint (host:port) is needed");
    }
    this.vertx = vertx;
    this.options = options;
    this.endpoints = new Endpoints(options.getEndpoints());
  }

  /** Connects to the first endpoint that answers and logs in there. */
  public static Future<FailoverEspClient> connect(Vertx vertx, FailoverEspClientOptions options) {
    FailoverEspClient c = new FailoverEspClient(vertx, options);
    return c.call(null, c.endpoints.first(), (client, endpoint) -> client.ping()).map(v -> c);
  }

  /** The rooms of this agent (docs/rooms.md), followed between instances like its chats. */
  public FailoverRooms rooms() {
    return rooms;
  }

  /** Takes a waiting chat as its agent, at whichever instance owns it. */
  public Future<AcceptedChat> accept(String chatId) {
    return accept(chatId, null);
  }

  /**
   * As {@link #accept(String)}, asking {@code at} first (where the chat is known to live); {@code
   * null}: the first endpoint.
   */
  public Future<AcceptedChat> accept(String chatId, String at) {
    return take(chatId, at, client -> client.accept(chatId));
  }

  /**
   * Takes a seat in a chat by {@code join} (accept, join, observe), asking {@code at} first (null:
   * the first endpoint); the seat is then followed wherever the chat moves.
   */
  private Future<AcceptedChat> take(
      String chatId, String at, java.util.function.Function<EspClient, Future<AcceptedChat>> join) {
    return call(
        null,
        at != null ? at : endpoints.first(),
        (client, endpoint) ->
            join.apply(client)
                .map(
                    chat -> {
                      seats.put(chatId, new Seat(chat, endpoint, client));
                      return chat;
                    }));
  }

  /**
   * Joins a chat it was invited to, beside the agent there ({@code mode} {@code conference} or
   * {@code consult}), asking {@code at} first; afterwards the seat is followed like an accepted one
   * (a restore re-takes it as this agent's own).
   */
  public Future<AcceptedChat> join(String chatId, String mode, String at) {
    return take(chatId, at, client -> client.join(chatId, mode));
  }

  /**
   * Sends a message in a chat taken earlier; {@code clientMessageId} may be {@code null} (one is
   * generated and kept for every attempt).
   */
  public Future<Entry> send(String chatId, String clientMessageId, String text) {
    String id = clientMessageId != null ? clientMessageId : java.util.UUID.randomUUID().toString();
    return withSeat(chatId, (client, endpoint) -> client.send(chatId, id, text));
  }

  /** Invites {@code agentId} into a chat taken earlier ({@code conference} or {@code consult}). */
  public Future<Void> invite(String chatId, String agentId, String mode) {
    return withSeat(chatId, (client, endpoint) -> client.invite(chatId, agentId, mode));
  }

  /**
   * Sets user data keys of a chat taken earlier, in an internal entry (kept from the customer): the
   * interaction side's routing data.
   */
  public Future<Entry> updateData(String chatId, java.util.Map<String, String> change) {
    return withSeat(chatId, (client, endpoint) -> client.updateData(chatId, change, "Int"));
  }

  /** Observes a chat as a supervisor (read-only), asking {@code at} first (null: anywhere). */
  public Future<AcceptedChat> observe(String chatId, String at) {
    return take(chatId, at, client -> client.observe(chatId));
  }

  /** As {@link #send}, read only by whom {@code visibility} allows ({@code Int}: agents). */
  public Future<Entry> send(String chatId, String clientMessageId, String text, String visibility) {
    String id = clientMessageId != null ? clientMessageId : java.util.UUID.randomUUID().toString();
    return withSeat(chatId, (client, endpoint) -> client.send(chatId, id, text, visibility));
  }

  /** The chat's transcript after {@code after}, from its owner. */
  public Future<ChatSlice> refresh(String chatId, long after) {
    return withSeat(chatId, (client, endpoint) -> client.refresh(chatId, after));
  }

  /** Shows or hides the agent's typing indicator in a chat taken earlier. */
  public Future<Entry> typing(String chatId, boolean typing) {
    return withSeat(chatId, (client, endpoint) -> client.typing(chatId, typing));
  }

  /** Leaves a chat taken earlier: it waits for an agent again. */
  public Future<Void> leave(String chatId) {
    return withSeat(chatId, (client, endpoint) -> client.leave(chatId))
        .onSuccess(v -> seats.remove(chatId));
  }

  /** As {@link #leave(String)}, recording {@code reason} (e.g. {@code TRANSFERRED_OUT}). */
  public Future<Void> leave(String chatId, String reason) {
    return withSeat(chatId, (client, endpoint) -> client.leave(chatId, reason))
        .onSuccess(v -> seats.remove(chatId));
  }

  /** Ends the chat (reason {@code AGENT_CLOSED}). */
  public Future<Void> close(String chatId) {
    return withSeat(chatId, (client, endpoint) -> client.close(chatId));
  }

  /** The instance (ESP {@code host:port}) this client last reached a chat at. */
  public String endpointOf(String chatId) {
    Seat s = seats.get(chatId);
    return s == null ? null : s.endpoint;
  }

  /**
   * The chat is owned at {@code endpoint} now (an interaction server learnt it from a {@code
   * chatLocated} event): re-attaches there at once, without the random pause of a failover, unless
   * it is attached there already. Entries missed meanwhile are replayed from the last one handed to
   * {@link #onEntry}.
   */
  public Future<Void> relocate(String chatId, String endpoint) {
    Seat seat = seats.get(chatId);
    if (seat == null || disconnected) {
      return Future.succeededFuture();
    }
    endpoints.add(endpoint);
    if (endpoint.equals(seat.endpoint) && seat.attachedOn != null) {
      return Future.succeededFuture();
    }
    detach(seat);
    return call(seat, endpoint, (client, ep) -> Future.<Void>succeededFuture());
  }

  /** Adds an instance ({@code host:port} of its ESP port) to those calls may be sent to. */
  public void addEndpoint(String endpoint) {
    endpoints.add(endpoint);
  }

  /** Calls sent again (to the owner named in a redirect, or to another instance) so far. */
  public long retries() {
    return retries.get();
  }

  /** Entries of chats this agent is in, once each, in index order per chat. */
  public FailoverEspClient onEntry(BiConsumer<String, Entry> handler) {
    this.onEntry = handler;
    return this;
  }

  /** A chat ended, with its close reason. */
  public FailoverEspClient onChatClosed(BiConsumer<String, String> handler) {
    this.onClosed = handler;
    return this;
  }

  /** A chat is now served by another instance (chat id, its ESP {@code host:port}). */
  public FailoverEspClient onChatMoved(BiConsumer<String, String> handler) {
    this.onMoved = handler;
    return this;
  }

  /** Closes every connection; pending calls fail. */
  public Future<Void> disconnect() {
    disconnected = true;
    List<Future<Void>> closing =
        connections.values().stream()
            .map(f -> f.compose(EspClient::disconnect).otherwiseEmpty())
            .toList();
    connections.clear();
    return Future.join(closing).mapEmpty();
  }

  // ---- the failover loop ------------------------------------------------------------------

  private <T> Future<T> withSeat(String chatId, BiFunction<EspClient, String, Future<T>> op) {
    Seat seat = seats.get(chatId);
    if (seat == null) {
      return Future.failedFuture(
          new ChatException(ErrorCode.FORBIDDEN, "this agent has not taken chat " + chatId));
    }
    return call(seat, seat.endpoint, op);
  }

  private <T> Future<T> call(
      Seat seat, String target, BiFunction<EspClient, String, Future<T>> op) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.getFailoverTimeout());
    return attempt(seat, target, op, deadline, 0);
  }

  private <T> Future<T> attempt(
      Seat seat,
      String target,
      BiFunction<EspClient, String, Future<T>> op,
      long deadline,
      int redirects) {
    if (disconnected) {
      return Future.failedFuture(new IllegalStateException("disconnected"));
    }
    boolean[] attaching = {false};
    return connection(target)
        .compose(
            client -> {
              if (seat == null || seat.attachedOn == client) {
                return op.apply(client, target);
              }
              attaching[0] = true;
              return client
                  .attach(seat.chatId, seat.participantId, seat.secureKey, seat.lastIndex)
                  .compose(
                      v -> {
                        attaching[0] = false;
                        seat.attachedOn = client;
                        moved(seat, target);
                        return op.apply(client, target);
                      });
            })
        .recover(
            e -> {
              if (e instanceof ChatException ce) {
                String owner = ce.details() == null ? null : ce.details().getString("esp");
                if (ce.code() == ErrorCode.NOT_OWNER
                    && owner != null
                    && !owner.equals(target)
                    && redirects < MAX_REDIRECTS) {
                  endpoints.add(owner);
                  detach(seat);
                  retries.incrementAndGet();
                  return attempt(seat, owner, op, deadline, redirects + 1);
                }
                if (ce.code() == ErrorCode.FORBIDDEN
                    && seat != null
                    && !attaching[0]
                    && redirects < MAX_REDIRECTS) {
                  // This connection lost the chat (it moved away and back): attach again.
                  detach(seat);
                  retries.incrementAndGet();
                  return attempt(seat, target, op, deadline, redirects + 1);
                }
                if (!ce.code().retryable()) {
                  return Future.failedFuture(e);
                }
              }
              // Refused, timed out (the connection stays: a paused instance may come back) or a
              // retryable error: try another instance.
              if (System.nanoTime() - deadline > 0) {
                return Future.failedFuture(
                    e instanceof ChatException
                        ? e
                        : new ChatException(
                            ErrorCode.INSTANCE_UNAVAILABLE,
                            "no instance answered within the failover timeout (last: " + e + ")"));
              }
              String next = endpoints.another(target);
              detach(seat);
              retries.incrementAndGet();
              LOG.debug("ESP call at {} failed ({}); trying {}", target, e.toString(), next);
              return pause().compose(v -> attempt(seat, next, op, deadline, 0));
            });
  }

  /**
   * The logged-in connection to {@code endpoint}, opened once. The map is never changed from inside
   * one of its own updates: a connect that fails at once removes its entry afterwards (a {@code
   * computeIfAbsent} doing that threw "Recursive update").
   */
  private Future<EspClient> connection(String endpoint) {
    Future<EspClient> existing = connections.get(endpoint);
    if (existing != null) {
      return existing;
    }
    Promise<EspClient> mine = Promise.promise();
    Future<EspClient> raced = connections.putIfAbsent(endpoint, mine.future());
    if (raced != null) {
      return raced;
    }
    open(endpoint)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                connections.remove(endpoint, mine.future());
              }
              mine.handle(ar);
            });
    return mine.future();
  }

  private Future<EspClient> open(String ep) {
    int colon = ep.lastIndexOf(':');
    EspClientOptions o =
        new EspClientOptions()
            .setHost(ep.substring(0, colon))
            .setPort(Integer.parseInt(ep.substring(colon + 1)))
            .setRequestTimeout(options.getRequestTimeout())
            .setTlsTrustFile(options.getTlsTrustFile());
    return EspClient.connect(vertx, o)
        .compose(
            c -> {
              c.onEntry(this::entry);
              c.onChatClosed((chatId, reason) -> closed(c, chatId, reason));
              c.onDisconnected(code -> lost(ep, c));
              c.onRoomEvent(f -> rooms.event(ep, f));
              Future<Void> login =
                  options.getPassword() != null
                      ? c.loginWithPassword(
                          options.getAgentId(), options.getNickname(), options.getPassword())
                      : c.login(options.getAgentId(), options.getNickname(), options.token());
              return login.map(c);
            });
  }

  private void entry(String chatId, Entry e) {
    Seat seat = seats.get(chatId);
    if (seat == null) {
      return;
    }
    synchronized (seat) {
      if (e.index() <= seat.lastIndex) {
        return; // replayed after a re-attach
      }
      seat.lastIndex = e.index();
    }
    onEntry.accept(chatId, e);
  }

  private void closed(EspClient client, String chatId, String reason) {
    Seat seat = seats.get(chatId);
    if (seat == null) {
      return;
    }
    if (ReasonCode.MOVED.name().equals(reason)) {
      if (seat.attachedOn == client) {
        detach(seat);
        follow(seat);
      }
      return;
    }
    if (!seat.closed) {
      seat.closed = true;
      seats.remove(chatId, seat);
      onClosed.accept(chatId, reason);
    }
  }

  /** The connection to an instance dropped: its chats are re-attached elsewhere. */
  private void lost(String endpoint, EspClient client) {
    connections.remove(endpoint);
    if (disconnected) {
      return;
    }
    rooms.lost(endpoint);
    for (Seat seat : seats.values()) {
      if (seat.attachedOn == client) {
        detach(seat);
        follow(seat);
      }
    }
  }

  private void follow(Seat seat) {
    pause()
        .compose(
            v ->
                call(
                    seat,
                    endpoints.another(seat.endpoint),
                    (client, ep) -> Future.succeededFuture()))
        .onFailure(
            e -> {
              if (!disconnected && !(e instanceof java.util.concurrent.CancellationException)) {
                LOG.warn("chat {} could not be re-attached: {}", seat.chatId, e.toString());
              }
            });
  }

  private void moved(Seat seat, String endpoint) {
    String before = seat.endpoint;
    seat.endpoint = endpoint;
    if (!endpoint.equals(before)) {
      onMoved.accept(seat.chatId, endpoint);
    }
  }

  private static void detach(Seat seat) {
    if (seat != null) {
      seat.attachedOn = null;
    }
  }

  private Future<Void> pause() {
    long delay = Jitter.between(options.getRetryMinDelay(), options.getRetryMaxDelay());
    return vertx.timer(Math.max(1, delay)).mapEmpty();
  }
}
