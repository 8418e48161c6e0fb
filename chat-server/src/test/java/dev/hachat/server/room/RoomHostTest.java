package dev.hachat.server.room;

import static dev.hachat.server.testing.ChatFailures.assertFailsWith;
import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.auth.SecurityOptions;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.server.config.RoomOptions;
import dev.hachat.server.ops.SurvivorClient;
import dev.hachat.server.testing.InProcessNode;
import dev.hachat.server.testing.TestNodes;
import dev.hachat.store.room.RoomEntry;
import dev.hachat.store.room.RoomEntryType;
import dev.hachat.store.room.RoomRole;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rooms on engines of several instances in one JVM ({@link TestNodes}) over one room store, on one
 * hand-moved clock: save before acknowledge, idempotence, restore by a survivor after its host
 * died, fencing of the stale host, hand-over, roles and limits.
 */
class RoomHostTest {
  private final TestNodes nodes = TestNodes.inMemory();
  private final GatedRoomStore store = new GatedRoomStore();
  private final RoomOptions options =
      new RoomOptions()
          .setMaxMembersPerRoom(3)
          .setDefaultMemberLimit(3)
          .setPostsBurst(3)
          .setPostsPerMinute(1)
          .setCreatesBurst(3)
          .setCreatesPerMinute(1);

  @AfterEach
  void close() throws Exception {
    nodes.close();
  }

  private RoomHost host(InProcessNode n) {
    return RoomHost.create(
        nodes.vertx(), n.id(), store, n.membership(), options, n.kpi().rooms(), nodes.clock());
  }

  private RoomMoves moves(RoomHost h) {
    return new RoomMoves(
        h,
        new SurvivorClient(nodes.vertx(), 500, () -> null, new SecurityOptions().clientTls()),
        2000);
  }

  /** Records what a present member hears. */
  static final class Ear implements RoomListener {
    final List<RoomEntry> entries = new CopyOnWriteArrayList<>();
    final List<String> moves = new CopyOnWriteArrayList<>();

    @Override
    public void onEntry(String roomId, RoomEntry entry) {
      entries.add(entry);
    }

    @Override
    public void onPresence(String roomId, List<String> present) {}

    @Override
    public void onMoved(String roomId, String instanceId, String esp) {
      moves.add(String.valueOf(instanceId));
    }
  }

  @Test
  void a_post_is_acknowledged_and_shown_only_after_the_store_saved_it() throws Exception {
    InProcessNode a = nodes.node("cs-a");
    nodes.advance(nodes.ha().quarantineMillis(), a);
    RoomHost ha = host(a);
    Room room = await(ha.create("alice", "ops", "", false, null));
    Ear ear = new Ear();
    await(room.enter("alice", "conn-1", 0, ear));
    store.hold = true;
    Future<RoomEntry> first = room.post("alice", "Alice", "c1", "hello");
    Future<RoomEntry> second = room.post("alice", "Alice", "c2", "world");
    await(room.present()); // queued on the room's context after both posts
    assertThat(store.heldCount()).as("one write in flight, the second post waits").isEqualTo(1);
    assertThat(first.isComplete()).isFalse();
    assertThat(second.isComplete()).isFalse();
    assertThat(ear.entries).isEmpty();
    store.release();
    assertThat(await(first).index()).isEqualTo(1);
    assertThat(await(second).index()).isEqualTo(2);
    assertThat(ear.entries).extracting(RoomEntry::text).containsExactly("hello", "world");
    assertThat(a.kpi().toJson().getLong("room_messages")).isEqualTo(2);
  }

  @Test
  void a_failed_save_acknowledges_nothing_and_the_next_post_reuses_the_index() throws Exception {
    InProcessNode a = nodes.node("cs-a");
    nodes.advance(nodes.ha().quarantineMillis(), a);
    Room room = await(host(a).create("alice", "ops", "", false, null));
    store.failAppends = true;
    assertFailsWith(ErrorCode.STORE_UNAVAILABLE, room.post("alice", "Alice", "c1", "lost"));
    store.failAppends = false;
    RoomEntry again = await(room.post("alice", "Alice", "c1", "lost"));
    assertThat(again.index()).isEqualTo(1);
    assertThat(await(room.post("alice", "Alice", "c1", "lost"))).isEqualTo(again);
    assertThat(await(store.read(room.id(), 0, true, 10))).containsExactly(again);
  }

  @Test
  void an_entry_the_store_refuses_fails_alone_and_its_batch_mates_are_saved() throws Exception {
    InProcessNode a = nodes.node("cs-a");
    nodes.advance(nodes.ha().quarantineMillis(), a);
    RoomHost roomy = // six posts in a row: beyond this class's burst of three
        RoomHost.create(
            nodes.vertx(),
            a.id(),
            store,
            a.membership(),
            new RoomOptions().setPostsBurst(10),
            a.kpi().rooms(),
            nodes.clock());
    Room room = await(roomy.create("alice", "ops", "", false, null));
    store.rejectText = "poison";
    assertFailsWith(ErrorCode.BAD_REQUEST, room.post("alice", "Alice", "c0", "poison"));
    store.hold = true; // three posts queue up behind the first and go out as one batch
    Future<RoomEntry> first = room.post("alice", "Alice", "c1", "before");
    Future<RoomEntry> good = room.post("alice", "Alice", "c2", "good");
    Future<RoomEntry> bad = room.post("alice", "Alice", "c3", "poison");
    Future<RoomEntry> after = room.post("alice", "Alice", "c4", "after");
    await(room.present());
    store.release();
    assertThat(await(first).index()).isEqualTo(1);
    assertFailsWith(ErrorCode.BAD_REQUEST, bad);
    assertThat(await(good).index()).isEqualTo(2);
    assertThat(await(after).index()).isEqualTo(3);
    assertThat(await(store.read(room.id(), 0, true, 10)))
        .extracting(RoomEntry::text)
        .containsExactly("before", "good", "after");
    assertThat(await(room.post("alice", "Alice", "c5", "next")).index()).isEqualTo(4);
  }

  @Test
  void what_a_write_with_a_lost_answer_left_is_kept_and_a_resend_finds_it() throws Exception {
    InProcessNode a = nodes.node("cs-a");
    nodes.advance(nodes.ha().quarantineMillis(), a);
    Room room = await(host(a).create("alice", "ops", "", false, null));
    store.applyThenFail = true;
    assertFailsWith(ErrorCode.STORE_UNAVAILABLE, room.post("alice", "Alice", "c1", "stored"));
    store.applyThenFail = false;
    RoomEntry next = await(room.post("alice", "Alice", "c2", "next"));
    assertThat(next.index()).as("after the entry the lost write left").isEqualTo(2);
    RoomEntry resent = await(room.post("alice", "Alice", "c1", "stored"));
    assertThat(resent.index()).isEqualTo(1);
    assertThat(await(store.read(room.id(), 0, true, 10)))
        .extracting(RoomEntry::text)
        .containsExactly("stored", "next");
  }

  @Test
  void a_resend_that_comes_first_after_a_lost_answer_is_stored_once() throws Exception {
    InProcessNode a = nodes.node("cs-a");
    nodes.advance(nodes.ha().quarantineMillis(), a);
    Room room = await(host(a).create("alice", "ops", "", false, null));
    store.applyThenFail = true;
    assertFailsWith(ErrorCode.STORE_UNAVAILABLE, room.post("alice", "Alice", "c1", "stored"));
    store.applyThenFail = false;
    // The resend is the first post after the failure: it waits for the re-read, which finds it.
    RoomEntry resent = await(room.post("alice", "Alice", "c1", "stored"));
    assertThat(resent.index()).isEqualTo(1);
    assertThat(await(room.post("alice", "Alice", "c2", "next")).index()).isEqualTo(2);
    assertThat(await(store.read(room.id(), 0, true, 10)))
        .extracting(RoomEntry::text)
        .containsExactly("stored", "next");
  }

  @Test
  void a_survivor_restores_the_room_of_a_dead_host_and_the_stale_host_can_acknowledge_nothing()
      throws Exception {
    InProcessNode a = nodes.node("cs-a");
    InProcessNode b = nodes.node("cs-b");
    nodes.advance(nodes.ha().quarantineMillis(), a, b);
    RoomHost onA = host(a);
    RoomHost onB = host(b);
    Room room = await(onA.create("alice", "ops", "topic", false, null));
    await(room.join("bob", "Bob"));
    RoomEntry m = await(room.post("alice", "Alice", "c1", "before"));
    Ear ear = new Ear();
    await(room.enter("bob", "conn-b", 0, ear));

    assertFailsWith(ErrorCode.NOT_OWNER, onB.find(room.id())); // a live host is never robbed
    nodes.advance(nodes.ha().getHeartbeatTimeout() + 1000, b); // a stops heartbeating
    await(onB.sweep());
    Room restored = await(onB.find(room.id()));
    assertThat(restored.epoch()).isEqualTo(2);
    assertThat(b.kpi().toJson().getLong("rooms_restored")).isEqualTo(1);

    // The stale copy on a: its write is fenced, nothing acknowledged, its members told.
    assertFailsWith(ErrorCode.NOT_OWNER, room.post("alice", "Alice", "c2", "stale"));
    assertThat(room.isLive()).isFalse();
    assertThat(ear.moves).hasSize(1);

    // The resend of an acknowledged post is no duplicate on the survivor.
    assertThat(await(restored.post("alice", "Alice", "c1", "before"))).isEqualTo(m);
    RoomEntry after = await(restored.post("bob", "Bob", "b1", "after"));
    Page history = await(restored.history("bob", 0, true, 10));
    assertThat(history.entries())
        .extracting(RoomEntry::type)
        .containsExactly(
            RoomEntryType.MEMBER_JOINED,
            RoomEntryType.MESSAGE,
            RoomEntryType.NOTICE,
            RoomEntryType.MESSAGE);
    assertThat(history.entries().get(3)).isEqualTo(after);
    Page back = await(restored.history("bob", Long.MAX_VALUE, false, 2));
    assertThat(back.entries()).extracting(RoomEntry::index).containsExactly(4L, 3L);
    assertThat(back.more()).isTrue();
  }

  @Test
  void a_hand_over_leaves_nothing_behind_and_the_target_takes_the_room() throws Exception {
    InProcessNode a = nodes.node("cs-a");
    InProcessNode b = nodes.node("cs-b");
    nodes.advance(nodes.ha().quarantineMillis(), a, b);
    RoomHost onA = host(a);
    RoomHost onB = host(b);
    Room room = await(onA.create("alice", "ops", "", false, null));
    Ear ear = new Ear();
    await(room.enter("alice", "conn-a", 0, ear));
    store.hold = true;
    Future<RoomEntry> inFlight = room.post("alice", "Alice", "c1", "in flight");
    Future<Boolean> moved = moves(onA).handOver(room, "cs-b");
    await(room.present()); // the hand-over began on the room's context
    assertFailsWith(ErrorCode.INSTANCE_UNAVAILABLE, room.post("alice", "Alice", "c2", "late"));
    store.release();
    assertThat(await(inFlight).index()).isEqualTo(1);
    assertThat(await(moved)).isTrue();
    assertThat(ear.moves).containsExactly("cs-b");
    assertFailsWith(ErrorCode.NOT_OWNER, onA.find(room.id()));
    Room onTarget = await(onB.find(room.id()));
    assertThat(onTarget.epoch()).isEqualTo(2);
    assertThat(await(onTarget.post("alice", "Alice", "c1", "in flight")).index()).isEqualTo(1);
    assertThat(a.kpi().toJson().getLong("rooms_moved")).isEqualTo(1);
  }

  @Test
  void roles_invite_only_and_the_member_limit_are_enforced() throws Exception {
    InProcessNode a = nodes.node("cs-a");
    nodes.advance(nodes.ha().quarantineMillis(), a);
    RoomHost h = host(a);
    Room closed = await(h.create("alice", "secret", "", true, 2));
    assertFailsWith(ErrorCode.FORBIDDEN, closed.join("eve", "Eve"));
    assertFailsWith(ErrorCode.FORBIDDEN, closed.post("eve", "Eve", "e1", "hi"));
    await(closed.invite("alice", "bob", RoomRole.MEMBER));
    assertFailsWith(ErrorCode.FORBIDDEN, closed.invite("bob", "carol", RoomRole.MEMBER));
    assertFailsWith(ErrorCode.ROOM_FULL, closed.invite("alice", "carol", RoomRole.MEMBER));
    assertFailsWith(ErrorCode.BAD_REQUEST, closed.leave("alice", "Alice"));
    await(closed.leave("bob", "Bob"));
    assertFailsWith(ErrorCode.FORBIDDEN, closed.post("bob", "Bob", "b1", "gone"));
    assertFailsWith(ErrorCode.MESSAGE_TOO_LARGE, closed.post("alice", "A", "x", "y".repeat(5000)));
    assertFailsWith(ErrorCode.BAD_REQUEST, closed.post("alice", "A", "x", "nul\u0000"));
    assertFailsWith(ErrorCode.ROOM_NOT_FOUND, h.find("no-such-room"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.create("alice", "", "", false, null))
        .hasMessageContaining("name");
  }

  @Test
  void joins_in_flight_count_against_the_member_limit_and_a_second_join_is_the_same()
      throws Exception {
    InProcessNode a = nodes.node("cs-a");
    nodes.advance(nodes.ha().quarantineMillis(), a);
    Room room = await(host(a).create("alice", "ops", "", false, 2));
    store.hold = true; // bob's join is written, not yet answered
    Future<RoomEntry> bob = room.join("bob", "Bob");
    Future<RoomEntry> bobAgain = room.invite("alice", "bob", RoomRole.MEMBER);
    assertFailsWith(ErrorCode.ROOM_FULL, room.join("carol", "Carol"));
    store.hold = false;
    store.release();
    assertThat(await(bobAgain)).isEqualTo(await(bob));
    assertThat(await(store.read(room.id(), 0, true, 10)))
        .filteredOn(e -> "bob".equals(e.memberId()))
        .hasSize(1);
  }

  @Test
  void posts_and_creations_beyond_their_rate_are_refused_and_resends_cost_nothing()
      throws Exception {
    InProcessNode a = nodes.node("cs-a");
    nodes.advance(nodes.ha().quarantineMillis(), a);
    RoomHost h = host(a);
    Room room = await(h.create("alice", "ops", "", false, null));
    for (int i = 1; i <= 3; i++) {
      await(room.post("alice", "Alice", "c" + i, "m" + i));
    }
    await(room.post("alice", "Alice", "c1", "m1")); // a resend is answered from memory
    assertFailsWith(ErrorCode.RATE_LIMITED, room.post("alice", "Alice", "c4", "m4"));
    await(h.create("alice", "two", "", false, null));
    await(h.create("alice", "three", "", false, null));
    assertFailsWith(ErrorCode.RATE_LIMITED, h.create("alice", "four", "", false, null));
    assertThat(a.kpi().toJson().getLong("limit_room_posts")).isEqualTo(1);
    assertThat(a.kpi().toJson().getLong("limit_room_creates")).isEqualTo(1);
  }
}
