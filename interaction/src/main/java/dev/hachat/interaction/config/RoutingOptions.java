package dev.hachat.interaction.config;

import dev.hachat.common.config.ConfigException;
import dev.hachat.common.config.DurationUnit;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How chats are queued and offered ({@code routing.*}; docs/interaction.md). */
public class RoutingOptions {
  /** Default {@code offer-timeout}: how long an agent has to answer an offer. */
  public static final long DEFAULT_OFFER_TIMEOUT = 15_000;

  /** Default {@code max-missed-offers}: timed-out offers in a row before NotReady. */
  public static final int DEFAULT_MAX_MISSED_OFFERS = 3;

  /** Default {@code after-call-work}: none, Ready again at once after a close. */
  public static final long DEFAULT_AFTER_CALL_WORK = 0;

  /** Default {@code disconnect-grace}: a dropped desktop keeps its chats this long. */
  public static final long DEFAULT_DISCONNECT_GRACE = 30_000;

  /** Default {@code default-capacity}: concurrent chats of an agent without a profile. */
  public static final int DEFAULT_CAPACITY = 3;

  /** Default {@code queue-key}: the user-data key naming a chat's queue (set by GMS). */
  public static final String DEFAULT_QUEUE_KEY = "GMSServiceName";

  /** Default {@code default-queue}: the queue of a chat without the queue key. */
  public static final String DEFAULT_QUEUE = "default";

  /** Default {@code position-notice}: what a queued customer is told; {position} is its place. */
  public static final String DEFAULT_POSITION_NOTICE = "You are number {position} in the queue.";

  /** Default {@code position-notice-interval}: the least time between two notices to one chat. */
  public static final long DEFAULT_POSITION_NOTICE_INTERVAL = 30_000;

  @DurationUnit(ChronoUnit.MILLIS)
  private long offerTimeout = DEFAULT_OFFER_TIMEOUT;

  private int maxMissedOffers = DEFAULT_MAX_MISSED_OFFERS;

  @DurationUnit(ChronoUnit.MILLIS)
  private long afterCallWork = DEFAULT_AFTER_CALL_WORK;

  @DurationUnit(ChronoUnit.MILLIS)
  private long disconnectGrace = DEFAULT_DISCONNECT_GRACE;

  private int defaultCapacity = DEFAULT_CAPACITY;
  private List<String> defaultSkills = new ArrayList<>();
  private String queueKey = DEFAULT_QUEUE_KEY;
  private String defaultQueue = DEFAULT_QUEUE;
  private String priorityKey = "";
  private String positionNotice = DEFAULT_POSITION_NOTICE;

  @DurationUnit(ChronoUnit.MILLIS)
  private long positionNoticeInterval = DEFAULT_POSITION_NOTICE_INTERVAL;

  private Map<String, String> greetings = new LinkedHashMap<>();

  public long getOfferTimeout() {
    return offerTimeout;
  }

  public RoutingOptions setOfferTimeout(long ms) {
    this.offerTimeout = ms;
    return this;
  }

  public int getMaxMissedOffers() {
    return maxMissedOffers;
  }

  public RoutingOptions setMaxMissedOffers(int n) {
    this.maxMissedOffers = n;
    return this;
  }

  public long getAfterCallWork() {
    return afterCallWork;
  }

  public RoutingOptions setAfterCallWork(long ms) {
    this.afterCallWork = ms;
    return this;
  }

  public long getDisconnectGrace() {
    return disconnectGrace;
  }

  public RoutingOptions setDisconnectGrace(long ms) {
    this.disconnectGrace = ms;
    return this;
  }

  public int getDefaultCapacity() {
    return defaultCapacity;
  }

  public RoutingOptions setDefaultCapacity(int n) {
    this.defaultCapacity = n;
    return this;
  }

  /** Queues an agent without skills of its own serves; empty: every queue. */
  public List<String> getDefaultSkills() {
    return defaultSkills;
  }

  public RoutingOptions setDefaultSkills(List<String> skills) {
    this.defaultSkills = skills;
    return this;
  }

  public String getQueueKey() {
    return queueKey;
  }

  public RoutingOptions setQueueKey(String key) {
    this.queueKey = key;
    return this;
  }

  public String getDefaultQueue() {
    return defaultQueue;
  }

  public RoutingOptions setDefaultQueue(String queue) {
    this.defaultQueue = queue;
    return this;
  }

  /** A user-data key with a whole-number priority (higher first); empty: none. */
  public String getPriorityKey() {
    return priorityKey;
  }

  public RoutingOptions setPriorityKey(String key) {
    this.priorityKey = key;
    return this;
  }

  /** The notice a queued customer gets when its place changes; {@code ""}: none. */
  public String getPositionNotice() {
    return positionNotice;
  }

  public RoutingOptions setPositionNotice(String text) {
    this.positionNotice = text;
    return this;
  }

  public long getPositionNoticeInterval() {
    return positionNoticeInterval;
  }

  public RoutingOptions setPositionNoticeInterval(long ms) {
    this.positionNoticeInterval = ms;
    return this;
  }

  /** A greeting per queue, written into each chat when it is first queued. */
  public Map<String, String> getGreetings() {
    return greetings;
  }

  public RoutingOptions setGreetings(Map<String, String> greetings) {
    this.greetings = greetings;
    return this;
  }

  void validate() {
    ConfigException.check(positionNotice != null, "routing.position-notice", "must be a string");
    ConfigException.check(
        positionNoticeInterval >= 1000, "routing.position-notice-interval", "must be >= 1s");
    ConfigException.check(greetings != null, "routing.greetings", "must be a map");
    ConfigException.check(offerTimeout >= 100, "routing.offer-timeout", "must be >= 100 ms");
    ConfigException.check(maxMissedOffers >= 1, "routing.max-missed-offers", "must be >= 1");
    ConfigException.check(afterCallWork >= 0, "routing.after-call-work", "must be >= 0");
    ConfigException.check(disconnectGrace >= 0, "routing.disconnect-grace", "must be >= 0");
    ConfigException.check(defaultCapacity >= 1, "routing.default-capacity", "must be >= 1");
    ConfigException.check(defaultSkills != null, "routing.default-skills", "must be a list");
    ConfigException.check(
        queueKey != null && !queueKey.isBlank(), "routing.queue-key", "must not be empty");
    ConfigException.check(
        defaultQueue != null && !defaultQueue.isBlank(),
        "routing.default-queue",
        "must not be empty");
    ConfigException.check(priorityKey != null, "routing.priority-key", "must be a string");
  }
}
