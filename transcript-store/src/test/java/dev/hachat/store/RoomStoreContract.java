package dev.hachat.store;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hachat.store.room.RoomEntry;
import dev.hachat.store.room.RoomEntryType;
import dev.hachat.store.room.RoomMember;
import dev.hachat.store.room.RoomRecord;
import dev.hachat.store.room.RoomRole;
import dev.hachat.store.room.StoredRoom;
import dev.hachat.store.spi.RoomStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The behaviour every {@link RoomStore} backend must have: hosting records that move only by
 * compare-and-set, appends refused for a stale epoch, members changed with their entries, history
 * read by pages both ways. A backend's test extends this class and implements {@link #createStore};
 * every backend passes the same tests. Each test uses room ids and host names of its own.
 */
@ExtendWith(VertxExtension.class)
public abstract class RoomStoreContract {
  protected static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);

  protected RoomStore store;
  private String tag;

  /** A room store (empty, or without the ids these tests use). */
  protected abstract RoomStore createStore(Vertx vertx) throws Exception;

  @BeforeEach
  final void setUpStore(Vertx vertx) throws Exception {
    store = createStore(vertx);
    tag = UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  final void tearDownStore() throws Exception {
    await(store.shutdown());
  }

  private String host(String name) {
    return name + "-" + tag;
  }

  private RoomRecord room(String name) {
    return new RoomRecord(
        "room-" + name + "-" + tag, name, "topic of " + name, false, 10, "alice", 1_000L);
  }

  private static RoomMember member(String id, RoomRole role) {
    return new RoomMember(id, role, 1_000L);
  }

  private static RoomEntry message(long index, String cmid) {
    return new RoomEntry(
        index, RoomEntryType.MESSAGE, "alice", "Alice", "m" + index, 2_000L + index, cmid);
  }

  private RoomRecord created(String name, String host) throws Exception {
    RoomRecord r = room(name);
    await(store.create(r, member("alice", RoomRole.OWNER), host));
    return r;
  }

  private static void assertKind(ThrowingCallable call, StoreErrorKind kind) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }

  @Test
  void a_created_room_is_hosted_at_epoch_1_with_its_creator_as_owner() throws Exception {
    RoomRecord r = room("lobby");
    Ownership o = await(store.create(r, member("alice", RoomRole.OWNER), host("cs1")));
    assertThat(o).isEqualTo(new Ownership(r.id(), host("cs1"), 1, 0, false));
    StoredRoom loaded = await(store.load(r.id()));
    assertThat(loaded.room()).isEqualTo(r);
    assertThat(loaded.host()).isEqualTo(o);
    assertThat(loaded.memberList()).containsExactly(member("alice", RoomRole.OWNER));
    assertThat(loaded.lastIndex()).isZero();
  }

  @Test
  void a_second_create_of_the_same_id_is_already_exists() throws Exception {
    RoomRecord r = created("dup", host("cs1"));
    assertKind(
        () -> await(store.create(r, member("bob", RoomRole.OWNER), host("cs2"))),
        StoreErrorKind.ALREADY_EXISTS);
    assertThat(await(store.load(r.id())).host().owner()).isEqualTo(host("cs1"));
  }

  @Test
  void an_unknown_room_is_not_found() {
    String id = "room-none-" + tag;
    assertKind(() -> await(store.load(id)), StoreErrorKind.NOT_FOUND);
    assertKind(
        () -> await(store.append(id, 1, List.of(), List.of(), List.of())),
        StoreErrorKind.NOT_FOUND);
    assertKind(() -> await(store.read(id, 0, true, 10)), StoreErrorKind.NOT_FOUND);
    assertKind(() -> await(store.claim(id, 1, "x", 0)), StoreErrorKind.NOT_FOUND);
  }

  @Test
  void appended_entries_and_member_changes_are_kept_together() throws Exception {
    RoomRecord r = created("team", host("cs1"));
    RoomEntry joined =
        new RoomEntry(1, RoomEntryType.MEMBER_JOINED, "bob", "Bob", "member", 2_000L, null);
    await(
        store.append(
            r.id(), 1, List.of(joined), List.of(member("bob", RoomRole.MEMBER)), List.of()));
    await(store.append(r.id(), 1, List.of(message(2, "c2")), List.of(), List.of()));
    StoredRoom s = await(store.load(r.id()));
    assertThat(s.members()).containsOnlyKeys("alice", "bob");
    assertThat(s.lastIndex()).isEqualTo(2);
    RoomEntry left =
        new RoomEntry(3, RoomEntryType.MEMBER_LEFT, "bob", "Bob", "left", 3_000L, null);
    await(store.append(r.id(), 1, List.of(left), List.of(), List.of("bob")));
    assertThat(await(store.load(r.id())).members()).containsOnlyKeys("alice");
    assertThat(await(store.roomsOfMember("alice"))).contains(r.id());
    assertThat(await(store.roomsOfMember("bob"))).doesNotContain(r.id());
  }

  @Test
  void history_is_read_by_pages_forwards_and_backwards() throws Exception {
    RoomRecord r = created("pages", host("cs1"));
    List<RoomEntry> all = new ArrayList<>();
    for (long i = 1; i <= 25; i++) {
      all.add(message(i, "c" + i));
    }
    await(store.append(r.id(), 1, all.subList(0, 10), List.of(), List.of()));
    await(store.append(r.id(), 1, all.subList(10, 25), List.of(), List.of()));
    assertThat(await(store.read(r.id(), 0, true, 10)))
        .containsExactlyElementsOf(all.subList(0, 10));
    assertThat(await(store.read(r.id(), 20, true, 10)))
        .containsExactlyElementsOf(all.subList(20, 25));
    List<RoomEntry> back = await(store.read(r.id(), 26, false, 3));
    assertThat(back).extracting(RoomEntry::index).containsExactly(25L, 24L, 23L);
    assertThat(await(store.read(r.id(), 1, false, 3))).isEmpty();
    assertThat(back.get(0)).isEqualTo(all.get(24));
  }

  @Test
  void a_claim_moves_the_epoch_by_compare_and_set_and_drops_entries_past_its_base()
      throws Exception {
    RoomRecord r = created("claimed", host("cs1"));
    await(store.append(r.id(), 1, List.of(message(1, "a"), message(2, "b")), List.of(), List.of()));
    Ownership o = await(store.claim(r.id(), 1, host("cs2"), 1));
    assertThat(o).isEqualTo(new Ownership(r.id(), host("cs2"), 2, 1, false));
    assertThat(await(store.load(r.id())).lastIndex()).isEqualTo(1);
    assertThatThrownBy(() -> await(store.claim(r.id(), 1, host("cs3"), 1)))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(StoreErrorKind.CONFLICT);
              assertThat(e.current()).isEqualTo(o);
            });
  }

  @Test
  void an_append_over_held_indexes_is_refused_and_applies_nothing() throws Exception {
    RoomRecord r = created("held", host("cs1"));
    await(store.append(r.id(), 1, List.of(message(1, "a"), message(2, "b")), List.of(), List.of()));
    RoomEntry late = new RoomEntry(2, RoomEntryType.MESSAGE, "bob", "Bob", "late", 9L, "z");
    assertKind(
        () ->
            await(
                store.append(
                    r.id(),
                    1,
                    List.of(late, message(3, "c")),
                    List.of(member("eve", RoomRole.MEMBER)),
                    List.of())),
        StoreErrorKind.CONFLICT);
    assertThat(await(store.read(r.id(), 0, true, 10)))
        .containsExactly(message(1, "a"), message(2, "b"));
    assertThat(await(store.load(r.id())).members()).containsOnlyKeys("alice");
  }

  @Test
  void a_stale_host_can_write_nothing_after_a_claim() throws Exception {
    RoomRecord r = created("fenced", host("cs1"));
    await(store.claim(r.id(), 1, host("cs2"), 0));
    assertKind(
        () -> await(store.append(r.id(), 1, List.of(message(1, "x")), List.of(), List.of())),
        StoreErrorKind.FENCED);
    assertKind(
        () ->
            await(
                store.append(
                    r.id(), 1, List.of(), List.of(member("eve", RoomRole.MEMBER)), List.of())),
        StoreErrorKind.FENCED);
    StoredRoom s = await(store.load(r.id()));
    assertThat(s.lastIndex()).isZero();
    assertThat(s.members()).containsOnlyKeys("alice");
  }

  @Test
  void a_release_marks_the_epoch_given_up_and_the_next_claim_clears_it() throws Exception {
    RoomRecord r = created("released", host("cs1"));
    await(store.release(r.id(), 1));
    assertThat(await(store.load(r.id())).host().released()).isTrue();
    assertKind(() -> await(store.release(r.id(), 2)), StoreErrorKind.CONFLICT);
    Ownership o = await(store.claim(r.id(), 1, host("cs2"), 0));
    assertThat(o.released()).isFalse();
    assertThat(await(store.load(r.id())).host()).isEqualTo(o);
  }

  @Test
  void rooms_are_listed_by_host_and_counted_per_host() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(created("r" + i, host(i < 3 ? "a" : "b")).id());
    }
    await(store.claim(ids.get(0), 1, host("b"), 0));
    List<String> ofA = await(store.roomsOf(host("a"), "", 10));
    assertThat(ofA).containsExactly(ids.get(1), ids.get(2));
    assertThat(await(store.roomsOf(host("a"), ids.get(1), 10))).containsExactly(ids.get(2));
    assertThat(await(store.roomsOf(host("b"), "", 2))).hasSize(2);
    assertThat(await(store.roomsPerHost())).containsEntry(host("a"), 2).containsEntry(host("b"), 3);
  }

  @Test
  void one_of_concurrent_claims_of_one_epoch_wins() throws Exception {
    RoomRecord r = created("race", host("cs1"));
    List<Future<Ownership>> claims = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      claims.add(store.claim(r.id(), 1, host("c" + i), 0));
    }
    await(Future.join(claims).otherwiseEmpty());
    long won = claims.stream().filter(Future::succeeded).count();
    assertThat(won).isEqualTo(1);
    assertThat(await(store.load(r.id())).host().epoch()).isEqualTo(2);
  }
}
