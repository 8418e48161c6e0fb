package dev.hachat.server.config;

import dev.hachat.common.config.ConfigException;
import dev.hachat.common.config.DurationUnit;
import java.time.temporal.ChronoUnit;

/** Persistent rooms ({@code rooms.*}, docs/rooms.md): limits, paging, rebalancing. */
public class RoomOptions {
  /** Default {@code enabled}: rooms are served (needs ucs.enabled, or store.type memory). */
  public static final boolean DEFAULT_ENABLED = true;

  /** Default {@code limit-for-rooms}: rooms hosted per instance. */
  public static final int DEFAULT_LIMIT_FOR_ROOMS = 1000;

  /** Default {@code max-members-per-room}: the highest member limit a room may have. */
  public static final int DEFAULT_MAX_MEMBERS_PER_ROOM = 500;

  /** Default {@code default-member-limit}: a room's limit when its creator names none. */
  public static final int DEFAULT_DEFAULT_MEMBER_LIMIT = 100;

  /** Default {@code history-page-size}: the most entries one history page gives. */
  public static final int DEFAULT_HISTORY_PAGE_SIZE = 100;

  /** Default {@code max-name-size}: characters of a room name. */
  public static final int DEFAULT_MAX_NAME_SIZE = 100;

  /** Default {@code max-topic-size}: characters of a room topic. */
  public static final int DEFAULT_MAX_TOPIC_SIZE = 500;

  /** Default {@code max-message-size}: characters of a room message. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 4096;

  /** Default {@code idempotence-window}: entries whose message ids a restored room reloads. */
  public static final int DEFAULT_IDEMPOTENCE_WINDOW = 1000;

  /** Default {@code save-timeout}: milliseconds one room write may take. */
  public static final int DEFAULT_SAVE_TIMEOUT = 5000;

  /** Default {@code restore-interval}: milliseconds between two passes over a dead host's rooms. */
  public static final int DEFAULT_RESTORE_INTERVAL = 1000;

  /** Default {@code posts-per-minute}: posts of one member in one room, refilled evenly. */
  public static final int DEFAULT_POSTS_PER_MINUTE = 120;

  /** Default {@code posts-burst}: posts of one member in one room at once. */
  public static final int DEFAULT_POSTS_BURST = 20;

  /** Default {@code creates-per-minute}: rooms one agent creates on one instance, refilled. */
  public static final int DEFAULT_CREATES_PER_MINUTE = 30;

  /** Default {@code creates-burst}: rooms one agent creates on one instance at once. */
  public static final int DEFAULT_CREATES_BURST = 30;

  private boolean enabled = DEFAULT_ENABLED;
  private int postsPerMinute = DEFAULT_POSTS_PER_MINUTE;
  private int postsBurst = DEFAULT_POSTS_BURST;
  private int createsPerMinute = DEFAULT_CREATES_PER_MINUTE;
  private int createsBurst = DEFAULT_CREATES_BURST;
  private int limitForRooms = DEFAULT_LIMIT_FOR_ROOMS;
  private int maxMembersPerRoom = DEFAULT_MAX_MEMBERS_PER_ROOM;
  private int defaultMemberLimit = DEFAULT_DEFAULT_MEMBER_LIMIT;
  private int historyPageSize = DEFAULT_HISTORY_PAGE_SIZE;
  private int maxNameSize = DEFAULT_MAX_NAME_SIZE;
  private int maxTopicSize = DEFAULT_MAX_TOPIC_SIZE;
  private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
  private int idempotenceWindow = DEFAULT_IDEMPOTENCE_WINDOW;

  @DurationUnit(ChronoUnit.MILLIS)
  private int saveTimeout = DEFAULT_SAVE_TIMEOUT;

  @DurationUnit(ChronoUnit.MILLIS)
  private int restoreInterval = DEFAULT_RESTORE_INTERVAL;

  private RebalanceOptions rebalance = new RebalanceOptions();

  public boolean isEnabled() {
    return enabled;
  }

  public RoomOptions setEnabled(boolean v) {
    this.enabled = v;
    return this;
  }

  public int getPostsPerMinute() {
    return postsPerMinute;
  }

  public RoomOptions setPostsPerMinute(int v) {
    this.postsPerMinute = v;
    return this;
  }

  public int getPostsBurst() {
    return postsBurst;
  }

  public RoomOptions setPostsBurst(int v) {
    this.postsBurst = v;
    return this;
  }

  public int getCreatesPerMinute() {
    return createsPerMinute;
  }

  public RoomOptions setCreatesPerMinute(int v) {
    this.createsPerMinute = v;
    return this;
  }

  public int getCreatesBurst() {
    return createsBurst;
  }

  public RoomOptions setCreatesBurst(int v) {
    this.createsBurst = v;
    return this;
  }

  public int getLimitForRooms() {
    return limitForRooms;
  }

  public RoomOptions setLimitForRooms(int v) {
    this.limitForRooms = v;
    return this;
  }

  public int getMaxMembersPerRoom() {
    return maxMembersPerRoom;
  }

  public RoomOptions setMaxMembersPerRoom(int v) {
    this.maxMembersPerRoom = v;
    return this;
  }

  public int getDefaultMemberLimit() {
    return defaultMemberLimit;
  }

  public RoomOptions setDefaultMemberLimit(int v) {
    this.defaultMemberLimit = v;
    return this;
  }

  public int getHistoryPageSize() {
    return historyPageSize;
  }

  public RoomOptions setHistoryPageSize(int v) {
    this.historyPageSize = v;
    return this;
  }

  public int getMaxNameSize() {
    return maxNameSize;
  }

  public RoomOptions setMaxNameSize(int v) {
    this.maxNameSize = v;
    return this;
  }

  public int getMaxTopicSize() {
    return maxTopicSize;
  }

  public RoomOptions setMaxTopicSize(int v) {
    this.maxTopicSize = v;
    return this;
  }

  public int getMaxMessageSize() {
    return maxMessageSize;
  }

  public RoomOptions setMaxMessageSize(int v) {
    this.maxMessageSize = v;
    return this;
  }

  public int getIdempotenceWindow() {
    return idempotenceWindow;
  }

  public RoomOptions setIdempotenceWindow(int v) {
    this.idempotenceWindow = v;
    return this;
  }

  public int getSaveTimeout() {
    return saveTimeout;
  }

  public RoomOptions setSaveTimeout(int v) {
    this.saveTimeout = v;
    return this;
  }

  public int getRestoreInterval() {
    return restoreInterval;
  }

  public RoomOptions setRestoreInterval(int v) {
    this.restoreInterval = v;
    return this;
  }

  public RebalanceOptions getRebalance() {
    return rebalance;
  }

  public RoomOptions setRebalance(RebalanceOptions v) {
    this.rebalance = v;
    return this;
  }

  void validate() {
    ConfigException.check(limitForRooms >= 1, "rooms.limit-for-rooms", "must be >= 1");
    ConfigException.check(postsPerMinute >= 1, "rooms.posts-per-minute", "must be >= 1");
    ConfigException.check(postsBurst >= 1, "rooms.posts-burst", "must be >= 1");
    ConfigException.check(createsPerMinute >= 1, "rooms.creates-per-minute", "must be >= 1");
    ConfigException.check(createsBurst >= 1, "rooms.creates-burst", "must be >= 1");
    ConfigException.check(maxMembersPerRoom >= 1, "rooms.max-members-per-room", "must be >= 1");
    ConfigException.check(
        defaultMemberLimit >= 1 && defaultMemberLimit <= maxMembersPerRoom,
        "rooms.default-member-limit",
        "must be between 1 and rooms.max-members-per-room");
    ConfigException.check(
        historyPageSize >= 1 && historyPageSize <= 1000,
        "rooms.history-page-size",
        "must be between 1 and 1000");
    ConfigException.check(maxNameSize >= 1, "rooms.max-name-size", "must be >= 1");
    ConfigException.check(maxTopicSize >= 0, "rooms.max-topic-size", "must be >= 0");
    ConfigException.check(maxMessageSize >= 1, "rooms.max-message-size", "must be >= 1");
    ConfigException.check(idempotenceWindow >= 0, "rooms.idempotence-window", "must be >= 0");
    ConfigException.check(saveTimeout >= 100, "rooms.save-timeout", "must be >= 100 ms");
    ConfigException.check(restoreInterval >= 100, "rooms.restore-interval", "must be >= 100 ms");
    ConfigException.check(rebalance != null, "rooms.rebalance", "missing");
    rebalance.validate();
  }

  /** {@code rooms.rebalance.*}: moving rooms from the busiest hosts to the idlest. */
  public static class RebalanceOptions {
    /** Default {@code threshold}: a difference in rooms between busiest and idlest tolerated. */
    public static final int DEFAULT_THRESHOLD = 1;

    /** Default {@code max-moves}: hand-overs of one {@code POST /admin/rebalance}. */
    public static final int DEFAULT_MAX_MOVES = 100;

    /** Default {@code auto}: off, rebalance only when asked. */
    public static final boolean DEFAULT_AUTO = false;

    /** Default {@code interval}: automatic mode moves at most one room per interval. */
    public static final int DEFAULT_INTERVAL = 10_000;

    private int threshold = DEFAULT_THRESHOLD;
    private int maxMoves = DEFAULT_MAX_MOVES;
    private boolean auto = DEFAULT_AUTO;

    @DurationUnit(ChronoUnit.MILLIS)
    private int interval = DEFAULT_INTERVAL;

    public int getThreshold() {
      return threshold;
    }

    public RebalanceOptions setThreshold(int v) {
      this.threshold = v;
      return this;
    }

    public int getMaxMoves() {
      return maxMoves;
    }

    public RebalanceOptions setMaxMoves(int v) {
      this.maxMoves = v;
      return this;
    }

    public boolean isAuto() {
      return auto;
    }

    public RebalanceOptions setAuto(boolean v) {
      this.auto = v;
      return this;
    }

    public int getInterval() {
      return interval;
    }

    public RebalanceOptions setInterval(int v) {
      this.interval = v;
      return this;
    }

    void validate() {
      ConfigException.check(threshold >= 1, "rooms.rebalance.threshold", "must be >= 1");
      ConfigException.check(maxMoves >= 1, "rooms.rebalance.max-moves", "must be >= 1");
      ConfigException.check(interval >= 100, "rooms.rebalance.interval", "must be >= 100 ms");
    }
  }
}
