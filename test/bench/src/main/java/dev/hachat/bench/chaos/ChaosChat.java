package dev.hachat.bench.chaos;

import dev.hachat.bench.chaos.History.MessageId;
import dev.hachat.bench.chaos.History.Party;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.esp.client.FailoverEspClient;
import dev.hachat.store.Entry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One chat of a chaos run: the customer (webapi port) and the agent (ESP, through the shared {@link
 * FailoverEspClient}) each send message after message, waiting for the acknowledgement and a short
 * think time in between, and resending the same {@code clientMessageId} until it is acknowledged or
 * the settle deadline passes. The customer also polls the transcript once a second, as a widget
 * without push would. Everything is recorded in the {@link History}.
 */
final class ChaosChat {
  private final Vertx vertx;
  private final ChaosCustomer customer;
  private final FailoverEspClient desk;
  private final String agentParticipantId;
  private final ChaosCluster cluster;
  private final History history;
  private final Consumer<String> failures;
  private final AtomicLong customerSeen = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicBoolean polling =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile boolean stopping;
  private volatile boolean closed;
  private long pollTimer = -1;

  ChaosChat(
      Vertx vertx,
      ChaosCustomer customer,
      FailoverEspClient desk,
      String agentParticipantId,
      ChaosCluster cluster,
      History history,
      Consumer<String> failures) {
    this.vertx = vertx;
    this.customer = customer;
    this.desk = desk;
    this.agentParticipantId = agentParticipantId;
    this.cluster = cluster;
    this.history = history;
    this.failures = failures;
    history.session(customer.chatId);
  }

  String chatId() {
    return customer.chatId;
  }

  ChaosCustomer customer() {
    return customer;
  }

  String agentParticipantId() {
    return agentParticipantId;
  }

  /** True once the agent's close of the chat was acknowledged. */
  boolean closed() {
    return closed;
  }

  /**
   * Starts both parties, each sending {@code quota} messages; the future completes when both
   * stopped and, if they sent their quota, the agent closed the chat. It completes early after
   * {@link #stopSending()} (once the message in flight was acknowledged), or at {@code
   * settleDeadline} (nanoTime).
   */
  Future<Void> run(long settleDeadline, int quota) {
    pollTimer = vertx.setPeriodic(1000, t -> poll(settleDeadline));
    Promise<Void> c = Promise.promise();
    Promise<Void> a = Promise.promise();
    customerLoop(1, quota, settleDeadline, c);
    agentLoop(1, quota, settleDeadline, a);
    return Future.join(c.future(), a.future())
        .transform(ar -> stopping ? Future.<Void>succeededFuture() : close(settleDeadline))
        .eventually(
            () -> {
              vertx.cancelTimer(pollTimer);
              return Future.succeededFuture();
            });
  }

  /** The agent ends the chat, retrying until the deadline; an ended chat counts as closed. */
  private Future<Void> close(long deadline) {
    return Retry.untilDeadline(vertx, () -> desk.close(chatId()), deadline)
        .recover(
            e ->
                e instanceof ChatException ce && ce.code() == ErrorCode.CHAT_ENDED
                    ? Future.succeededFuture()
                    : Future.failedFuture(e))
        .onSuccess(v -> closed = true)
        .onFailure(e -> failures.accept("close of " + chatId() + " failed: " + e))
        .recover(e -> Future.succeededFuture());
  }

  /** No new messages from now on; the ones in flight are still resent until acknowledged. */
  void stopSending() {
    stopping = true;
  }

  private void customerLoop(int seq, int quota, long deadline, Promise<Void> done) {
    if (stopping || seq > quota) {
      done.complete();
      return;
    }
    MessageId m = new MessageId(chatId(), Party.CUSTOMER, "c-" + seq);
    customer
        .send(
            m.clientMessageId(),
            text(m),
            deadline,
            port -> history.attempt(m, seq, cluster.instanceAt(port)))
        .onSuccess(
            a -> {
              long index = a.body().getJsonObject("entry").getLong("index");
              history.ack(m, seq, index, cluster.instanceAt(a.port()));
              think().onComplete(v -> customerLoop(seq + 1, quota, deadline, done));
            })
        .onFailure(
            e -> {
              failures.accept(m + " not acknowledged: " + e);
              stopping = true; // a broken chat is not closed: its transcript is read as it is
              done.complete();
            });
  }

  private void agentLoop(int seq, int quota, long deadline, Promise<Void> done) {
    if (stopping || seq > quota) {
      done.complete();
      return;
    }
    MessageId m = new MessageId(chatId(), Party.AGENT, "a-" + seq);
    agentSend(m, seq, deadline)
        .onSuccess(
            e -> {
              history.ack(m, seq, e.index(), cluster.instanceAt(desk.endpointOf(chatId())));
              think().onComplete(v -> agentLoop(seq + 1, quota, deadline, done));
            })
        .onFailure(
            e -> {
              failures.accept(m + " not acknowledged: " + e);
              stopping = true; // a broken chat is not closed: its transcript is read as it is
              done.complete();
            });
  }

  /** The desk client retries within its failover timeout; this retries it until the deadline. */
  private Future<Entry> agentSend(MessageId m, int seq, long deadline) {
    return Retry.untilDeadline(
        vertx,
        () -> {
          history.attempt(m, seq, cluster.instanceAt(desk.endpointOf(chatId())));
          return desk.send(chatId(), m.clientMessageId(), text(m));
        },
        deadline);
  }

  private void poll(long deadline) {
    if (!polling.compareAndSet(false, true)) {
      return; // the previous poll still waits for an answer
    }
    long after = customerSeen.get();
    long until = Math.min(deadline, System.nanoTime() + 900_000_000L);
    customer
        .refresh(after, until)
        .onSuccess(
            entries -> {
              for (Entry e : entries) {
                if (e.index() > customerSeen.get()) {
                  history.seen(chatId(), Party.CUSTOMER, e);
                  customerSeen.set(e.index());
                }
              }
            })
        .onComplete(ar -> polling.set(false));
  }

  private static String text(MessageId m) {
    return m.session().substring(0, 6) + " " + m.sender() + " " + m.clientMessageId();
  }

  private Future<Void> think() {
    return vertx.timer(100 + ThreadLocalRandom.current().nextInt(300)).mapEmpty();
  }

  /** The agent's desk records what it is shown; one handler for every chat. */
  static void recordAgentView(FailoverEspClient desk, History history) {
    desk.onEntry((chatId, e) -> history.seen(chatId, Party.AGENT, e));
  }
}
