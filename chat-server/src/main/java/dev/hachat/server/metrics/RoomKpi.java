package dev.hachat.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * The counters and gauges of persistent rooms (docs/rooms.md, "Metrics"). Thread-safe (Micrometer
 * meters are; the gauges' suppliers are set once, at start).
 */
public final class RoomKpi {
  private final Counter messages;
  private final Counter moved;
  private final Counter restored;
  private final Counter postsLimited;
  private final Counter createsLimited;
  private volatile Supplier<Number> hosted = () -> 0;
  private volatile Supplier<Number> present = () -> 0;

  RoomKpi(MeterRegistry registry) {
    this.messages =
        Counter.builder("hachat.room.messages")
            .description("Room messages saved and acknowledged on this instance")
            .register(registry);
    this.moved =
        Counter.builder("hachat.rooms.moved")
            .description("Rooms handed over to another instance (rebalance, shutdown)")
            .register(registry);
    this.restored =
        Counter.builder("hachat.rooms.restored")
            .description("Rooms claimed here from a dead or releasing host")
            .register(registry);
    this.postsLimited =
        Counter.builder("hachat.limit.room.posts")
            .description("Room posts refused RATE_LIMITED (rooms.posts-*)")
            .register(registry);
    this.createsLimited =
        Counter.builder("hachat.limit.room.creates")
            .description("Room creations refused RATE_LIMITED (rooms.creates-*)")
            .register(registry);
    Gauge.builder("hachat.rooms.hosted", () -> hosted.get())
        .description("Rooms hosted by this instance")
        .register(registry);
    Gauge.builder("hachat.room.members.present", () -> present.get())
        .description("Members present in the rooms of this instance")
        .register(registry);
  }

  /** The gauges' sources: rooms hosted, members present (set once by the room host). */
  public void gauges(Supplier<Number> hostedRooms, Supplier<Number> presentMembers) {
    this.hosted = hostedRooms;
    this.present = presentMembers;
  }

  /** Rooms hosted here now. */
  public long hosted() {
    return hosted.get().longValue();
  }

  public void message() {
    messages.increment();
  }

  public void moved() {
    moved.increment();
  }

  public void restored() {
    restored.increment();
  }

  public void postLimited() {
    postsLimited.increment();
  }

  public void createLimited() {
    createsLimited.increment();
  }

  /** Adds the room KPIs to {@code kpi} by their documented names. */
  void addTo(JsonObject kpi) {
    kpi.put("rooms_hosted", hosted.get().longValue())
        .put("room_members_present", present.get().longValue())
        .put("room_messages", (long) messages.count())
        .put("rooms_moved", (long) moved.count())
        .put("rooms_restored", (long) restored.count())
        .put("limit_room_posts", (long) postsLimited.count())
        .put("limit_room_creates", (long) createsLimited.count());
  }
}
