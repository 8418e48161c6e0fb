package dev.hachat.gms.routing;

import dev.hachat.common.config.ClientTls;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.gms.config.RoutingOptions;
import dev.hachat.gms.directory.Instance;
import dev.hachat.gms.directory.InstanceDirectory;
import dev.hachat.store.Rendezvous;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a customer's request to the instance that owns the chat, and keeps the request alive across
 * an instance's death: a refused connection or a timeout marks the instance suspect and the request
 * goes to a survivor, which restores the chat from the store (or names the live owner with {@code
 * NOT_OWNER}, which is followed). Retryable errors are retried after a random, growing pause until
 * {@code failover-deadline}; only errors the customer caused (fatal ones and rate limits) end a
 * request early.
 *
 * <p>Every request this router sends must be idempotent at the instance: sends carry a {@code
 * clientMessageId} chosen once per customer request, so a retry never duplicates a message.
 *
 * <p>The owner of each chat is remembered in a small bounded cache (a hint only: the instances
 * decide ownership), so the router keeps no state that matters.
 */
public final class ChatRouter {
  private static final Logger LOG = LoggerFactory.getLogger(ChatRouter.class);
  private static final int OWNER_CACHE_MAX = 100_000;

  /**
   * What a customer is told when an instance did not answer: a stable text that names no internal
   * address and no cause (those are logged: DEBUG per try, WARN when the router gives up).
   */
  public static final String UNREACHABLE_ADVICE = "a chat server did not answer in time; retry";

  private static final ChatException UNREACHABLE =
      new ChatException(ErrorCode.INSTANCE_UNAVAILABLE, UNREACHABLE_ADVICE);

  private final Vertx vertx;
  private final InstanceDirectory directory;
  private final RoutingOptions options;
  private final ClientTls tls;
  private final Upstream upstream;
  private final Map<String, String> owners =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
              return size() > OWNER_CACHE_MAX;
            }
          });

  /** Requests that needed more than one try (failover, redirects): a metric. */
  public final AtomicLong retried = new AtomicLong();

  /** A router whose calls carry no credential (instances running open). */
  public ChatRouter(Vertx vertx, InstanceDirectory directory, RoutingOptions options) {
    this(vertx, directory, options, () -> null, ClientTls.plain());
  }

  /**
   * @param authorization the {@code Authorization} header of every call to an instance (this
   *     server's peer token, re-minted before it expires), or a supplier of null in open mode
   * @param tls how to call instances: plain, or TLS trusting {@code security.tls-trust-file}
   */
  public ChatRouter(
      Vertx vertx,
      InstanceDirectory directory,
      RoutingOptions options,
      java.util.function.Supplier<String> authorization,
      ClientTls tls) {
    this.vertx = vertx;
    this.directory = directory;
    this.options = options;
    this.tls = tls;
    this.upstream =
        new Upstream(
            vertx, options.getRequestTimeout(), options.localAddressOrNull(), authorization, tls);
  }

  /** How instances are called: plain, or TLS ({@code security.tls-trust-file}). */
  public ClientTls tls() {
    return tls;
  }

  /** An answer and the instance that gave it (the chat's owner now). */
  public record Routed(JsonObject body, String instanceId) {}

  /**
   * Starts a chat on the best instance for a new chat; tries the next one when an instance is
   * unreachable, full or disabled. A timed-out attempt may leave an unused chat behind on a dying
   * instance; it ends by itself ({@code user-register-timeout}/inactivity). A {@code RATE_LIMITED}
   * answer ends the request at once.
   *
   * @param clientAddress the customer's address, sent as {@code X-Forwarded-For} (the instance
   *     limits new chats per customer address); null to send none
   */
  public Future<Routed> newChat(JsonObject body, String clientAddress) {
    Promise<Routed> result = Promise.promise();
    tryNew(body, clientAddress, deadline(), 0, result);
    return result.future();
  }

  private void tryNew(
      JsonObject body, String clientAddress, long deadline, int attempt, Promise<Routed> result) {
    List<Instance> candidates = directory.forNewChat();
    if (candidates.isEmpty()) {
      retryOrGiveUp(
          deadline,
          attempt,
          result,
          new ChatException(
              ErrorCode.INSTANCE_UNAVAILABLE, "no chat server takes new chats now; retry"),
          () -> tryNew(body, clientAddress, deadline, attempt + 1, result));
      return;
    }
    Instance target = candidates.get(0);
    directory.placing(target.id());
    upstream
        .post(target.webapi(), "/v1/chats", body, clientAddress)
        .onSuccess(
            outcome -> {
              if (outcome instanceof Upstream.Answer a) {
                owners.put(a.body().getString("chatId", ""), target.id());
                result.complete(new Routed(a.body(), target.id()));
              } else if (outcome instanceof Upstream.Refused r && endsRequest(r.error())) {
                result.fail(r.error());
              } else {
                // unreachable, full or disabled: pick another one
                directory.suspect(target.id());
                Runnable again = () -> tryNew(body, clientAddress, deadline, attempt + 1, result);
                if (outcome instanceof Upstream.Refused r) {
                  retryOrGiveUp(deadline, attempt, result, r.error(), again);
                } else {
                  String why = unreachable(target.id(), (Upstream.Unreachable) outcome);
                  retryOrGiveUp(deadline, attempt, result, UNREACHABLE, why, again);
                }
              }
            });
  }

  /**
   * Sends {@code body} to {@code /v1/chats/{chatId}/{op}} at the chat's owner, with {@code
   * aliasHint} (the instance the customer last heard from) tried first.
   */
  public Future<Routed> existing(String chatId, String op, JsonObject body, String aliasHint) {
    Promise<Routed> result = Promise.promise();
    String path = "/v1/chats/" + chatId + "/" + op;
    String first = owners.get(chatId);
    if (first == null) {
      first = aliasHint;
    }
    tryExisting(chatId, path, body, target(chatId, first, null), deadline(), 0, result);
    return result.future();
  }

  /**
   * The instance to try: {@code preferred} if it is alive and not suspect; else, among the alive
   * instances other than {@code avoid} (enabled ones first, suspect ones last), the one that wins a
   * rendezvous hash of the chat id. Every web API server (and every retry) thus sends an orphaned
   * chat to the same survivor, so its restore is not raced, and the chats of a dead instance spread
   * evenly.
   */
  private String target(String chatId, String preferred, String avoid) {
    if (preferred != null) {
      var p = directory.get(preferred);
      if (p.isPresent() && p.get().alive() && !p.get().suspect()) {
        return p.get().webapi();
      }
    }
    Instance best = null;
    long bestScore = 0;
    for (Instance i : directory.forExistingChat()) {
      if (i.id().equals(avoid) && directory.forExistingChat().size() > 1) {
        continue;
      }
      long score = Rendezvous.score(chatId, i.id());
      boolean better =
          best == null
              || rank(i) < rank(best)
              || (rank(i) == rank(best) && Long.compareUnsigned(score, bestScore) > 0);
      if (better) {
        best = i;
        bestScore = score;
      }
    }
    return best == null ? null : best.webapi();
  }

  /** 0: enabled and not suspect; 1: not suspect (disabled, draining); 2: suspect. */
  private static int rank(Instance i) {
    return i.suspect() ? 2 : "normal".equals(i.record().state()) ? 0 : 1;
  }

  /** After a pause, tries again at the instance {@link #target} picks (preferring, avoiding). */
  private void retryElsewhere(
      String chatId,
      String path,
      JsonObject body,
      String preferred,
      String avoid,
      long deadline,
      int attempt,
      Promise<Routed> result,
      ChatException error) {
    retryOrGiveUp(
        deadline,
        attempt,
        result,
        error,
        () ->
            tryExisting(
                chatId,
                path,
                body,
                target(chatId, preferred, avoid),
                deadline,
                attempt + 1,
                result));
  }

  private void tryExisting(
      String chatId,
      String path,
      JsonObject body,
      String address,
      long deadline,
      int attempt,
      Promise<Routed> result) {
    if (address == null) {
      retryOrGiveUp(
          deadline,
          attempt,
          result,
          new ChatException(ErrorCode.INSTANCE_UNAVAILABLE, "no chat server is reachable; retry"),
          () ->
              tryExisting(
                  chatId, path, body, target(chatId, null, null), deadline, attempt + 1, result));
      return;
    }
    String instanceId = directory.byWebapi(address).map(Instance::id).orElse(address);
    upstream
        .post(address, path, body)
        .onSuccess(
            outcome -> {
              if (outcome instanceof Upstream.Answer a) {
                owners.put(chatId, instanceId);
                result.complete(new Routed(a.body(), instanceId));
              } else if (outcome instanceof Upstream.Refused r) {
                refused(
                    chatId, path, body, address, instanceId, r.error(), deadline, attempt, result);
              } else {
                directory.suspect(instanceId);
                owners.remove(chatId);
                retryOrGiveUp(
                    deadline,
                    attempt,
                    result,
                    UNREACHABLE,
                    unreachable(address, (Upstream.Unreachable) outcome),
                    () ->
                        tryExisting(
                            chatId,
                            path,
                            body,
                            target(chatId, null, instanceId),
                            deadline,
                            attempt + 1,
                            result));
              }
            });
  }

  private void refused(
      String chatId,
      String path,
      JsonObject body,
      String address,
      String instanceId,
      ChatException error,
      long deadline,
      int attempt,
      Promise<Routed> result) {
    if (error.code() == ErrorCode.NOT_OWNER) {
      JsonObject d = error.details();
      String owner = d == null ? null : d.getString("owner");
      String ownerAddress = d == null ? null : d.getString("webapi");
      boolean usable =
          ownerAddress != null
              && !ownerAddress.equals(address)
              && directory.get(owner).map(i -> i.alive() && !i.suspect()).orElse(true);
      if (usable && attempt < 3) {
        // a live owner elsewhere: go there at once
        retried.incrementAndGet();
        tryExisting(chatId, path, body, ownerAddress, deadline, attempt + 1, result);
      } else {
        // the named owner is suspect (dying): wait until a survivor restores the chat
        retryElsewhere(
            chatId, path, body, usable ? owner : null, owner, deadline, attempt, result, error);
      }
    } else if (endsRequest(error)) {
      result.fail(error);
    } else {
      retryElsewhere(chatId, path, body, instanceId, null, deadline, attempt, result, error);
    }
  }

  /**
   * Whether {@code error} goes back to the customer at once: a fatal one, or a rate limit (new
   * chats per address, sends, typing, updates per participant). The customer caused a rate limit;
   * trying again here, or at another instance, would only spend the limit's tokens for it and hold
   * the request; the customer gets statusCode 1 and waits.
   */
  private static boolean endsRequest(ChatException error) {
    return !error.code().retryable() || error.code() == ErrorCode.RATE_LIMITED;
  }

  private void retryOrGiveUp(
      long deadline, int attempt, Promise<Routed> result, ChatException last, Runnable again) {
    retryOrGiveUp(deadline, attempt, result, last, last.getMessage(), again);
  }

  /**
   * @param last what the customer gets if this was the last try
   * @param why what happened, for the log only (it may name an internal address)
   */
  private void retryOrGiveUp(
      long deadline,
      int attempt,
      Promise<Routed> result,
      ChatException last,
      String why,
      Runnable again) {
    long delay = delay(attempt);
    if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay) > deadline) {
      LOG.warn("[routing] giving up after {} tries: {}", attempt + 1, why);
      result.fail(
          last.code().retryable()
              ? last
              : new ChatException(ErrorCode.INSTANCE_UNAVAILABLE, last.getMessage()));
      return;
    }
    if (attempt == 0) {
      retried.incrementAndGet();
    }
    vertx.setTimer(delay, t -> again.run());
  }

  /**
   * A random pause between retry-delay-min and a bound that doubles per try up to retry-delay-max.
   */
  private long delay(int attempt) {
    long min = options.getRetryDelayMin();
    long bound = Math.min(options.getRetryDelayMax(), min << Math.min(attempt, 10));
    return min + ThreadLocalRandom.current().nextLong(Math.max(1, bound - min + 1));
  }

  private long deadline() {
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.getFailoverDeadline());
  }

  /**
   * Logs (DEBUG) that {@code target} did not answer; returns the same text for the give-up WARN.
   */
  private static String unreachable(Object target, Upstream.Unreachable u) {
    String why = "chat server " + target + " did not answer (" + u.cause() + ")";
    LOG.debug("[routing] {}", why);
    return why;
  }

  /** The remembered owner of a chat, if any (a hint). */
  public String ownerHint(String chatId) {
    return owners.get(chatId);
  }

  public void close() {
    upstream.close();
  }
}
