package dev.hachat.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;

/**
 * The counters of the abuse limits (docs/metrics.md, "Limits"): one per limit, so an operator sees
 * which limit refuses what. Thread-safe (Micrometer meters are).
 */
public final class LimitKpi {
  private final Counter espLoginsLimited;
  private final Counter adminLoginsLimited;
  private final Counter webapiLoginsLimited;
  private final Counter espLoginTimeouts;
  private final Counter pushHelloTimeouts;
  private final Counter sendsLimited;
  private final Counter typingLimited;
  private final Counter updatesLimited;
  private final Counter transcriptFull;
  private final Counter noCustomerMessage;
  private final Counter connectionsRefused;
  private final Counter slowConsumerBytes;
  private final Counter streamsReplaced;
  private final Counter newChatsLimited;

  LimitKpi(MeterRegistry registry) {
    this.sendsLimited = counter(registry, "limit.sends", "Sends refused by session.limits");
    this.typingLimited = counter(registry, "limit.typing", "Typing refused by session.limits");
    this.updatesLimited =
        counter(registry, "limit.updates", "updateData/updateNickname refused by session.limits");
    this.transcriptFull =
        counter(registry, "limit.transcript.full", "Requests refused because a transcript is full");
    this.noCustomerMessage =
        counter(
            registry,
            "limit.no.customer.message",
            "Chats closed because the customer sent no message in time");
    this.connectionsRefused =
        counter(
            registry,
            "limit.connections.refused",
            "Connections closed at accept (too many from one address)");
    this.slowConsumerBytes =
        counter(
            registry,
            "limit.slow.consumer.bytes",
            "Push and ESP connections closed for too many bytes waiting to be written");
    this.streamsReplaced =
        counter(
            registry,
            "limit.streams.replaced",
            "Event streams dropped for a newer one of the same participant");
    this.espLoginsLimited = loginsLimited(registry, "esp");
    this.adminLoginsLimited = loginsLimited(registry, "admin");
    this.webapiLoginsLimited = loginsLimited(registry, "webapi");
    this.espLoginTimeouts = firstFrameTimeouts(registry, "esp");
    this.pushHelloTimeouts = firstFrameTimeouts(registry, "webapi");
    this.newChatsLimited =
        counter(
            registry,
            "limit.new.chats",
            "Chat requests refused by webapi.new-chats-per-minute (per customer address)");
  }

  private static Counter loginsLimited(MeterRegistry registry, String port) {
    return Counter.builder("hachat.limit.logins")
        .description("Logins refused RATE_LIMITED (security.login-failures-per-minute)")
        .tag("port", port)
        .register(registry);
  }

  private static Counter firstFrameTimeouts(MeterRegistry registry, String port) {
    return Counter.builder("hachat.limit.first.frame.timeouts")
        .description("WebSockets closed 4001: no login or first frame within its timeout")
        .tag("port", port)
        .register(registry);
  }

  private static Counter counter(MeterRegistry registry, String name, String description) {
    return Counter.builder("hachat." + name).description(description).register(registry);
  }

  public void sendLimited() {
    sendsLimited.increment();
  }

  public void typingLimited() {
    typingLimited.increment();
  }

  public void updateLimited() {
    updatesLimited.increment();
  }

  public void transcriptFull() {
    transcriptFull.increment();
  }

  public void noCustomerMessage() {
    noCustomerMessage.increment();
  }

  public void connectionRefused() {
    connectionsRefused.increment();
  }

  public void slowConsumerBytes() {
    slowConsumerBytes.increment();
  }

  public void streamReplaced() {
    streamsReplaced.increment();
  }

  /** A new chat was refused by {@code webapi.new-chats-per-minute}. */
  public void newChatLimited() {
    newChatsLimited.increment();
  }

  /** An ESP {@code login} was refused RATE_LIMITED. */
  public void espLoginLimited() {
    espLoginsLimited.increment();
  }

  /** The admin guard refused a credential RATE_LIMITED (429). */
  public void adminLoginLimited() {
    adminLoginsLimited.increment();
  }

  /** The webapi port refused a peer token RATE_LIMITED (429). */
  public void webapiLoginLimited() {
    webapiLoginsLimited.increment();
  }

  /** An ESP connection was closed 4001: no login within {@code security.login-timeout}. */
  public void espLoginTimeout() {
    espLoginTimeouts.increment();
  }

  /** A push socket was closed 4001: no first frame within {@code webapi.hello-timeout}. */
  public void pushHelloTimeout() {
    pushHelloTimeouts.increment();
  }

  void addTo(JsonObject kpi) {
    kpi.put("limit_sends", (long) sendsLimited.count())
        .put("limit_typing", (long) typingLimited.count())
        .put("limit_updates", (long) updatesLimited.count())
        .put("limit_transcript_full", (long) transcriptFull.count())
        .put("limit_no_customer_message", (long) noCustomerMessage.count())
        .put("limit_connections_refused", (long) connectionsRefused.count())
        .put("limit_slow_consumer_bytes", (long) slowConsumerBytes.count())
        .put("limit_streams_replaced", (long) streamsReplaced.count())
        .put(
            "limit_logins",
            (long)
                (espLoginsLimited.count()
                    + adminLoginsLimited.count()
                    + webapiLoginsLimited.count()))
        .put(
            "limit_first_frame_timeouts",
            (long) (espLoginTimeouts.count() + pushHelloTimeouts.count()))
        .put("limit_new_chats", (long) newChatsLimited.count());
  }
}
