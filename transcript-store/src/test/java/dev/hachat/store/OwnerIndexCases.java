package dev.hachat.store;

import static dev.hachat.store.StoreCases.newId;
import static dev.hachat.store.StoreCases.session;
import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The owner index of {@link TranscriptStoreContract}: the open sessions of an owner the orphan
 * sweep reads, page by page in id order.
 */
interface OwnerIndexCases extends StoreCases {

  @Test
  default void open_sessions_of_an_owner_are_listed_in_id_order_page_by_page() throws Exception {
    String owner = "owner-" + newId();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String id = newId();
      await(store().create(session(id), owner));
      ids.add(id);
    }
    ids.sort(null);
    await(store().create(session(newId()), "other-" + newId()));
    List<String> first = await(store().openSessionsOf(owner, "", 3));
    assertThat(first).containsExactlyElementsOf(ids.subList(0, 3));
    List<String> rest = await(store().openSessionsOf(owner, first.get(2), 3));
    assertThat(rest).containsExactlyElementsOf(ids.subList(3, 5));
    assertThat(await(store().openSessionsOf(owner, ids.get(4), 3))).isEmpty();
  }

  @Test
  default void a_claim_moves_an_open_session_to_its_new_owner() throws Exception {
    String dead = "dead-" + newId();
    String heir = "heir-" + newId();
    String id = newId();
    await(store().create(session(id), dead));
    await(store().claim(id, 1, heir, 0));
    assertThat(await(store().openSessionsOf(dead, "", 10))).isEmpty();
    assertThat(await(store().openSessionsOf(heir, "", 10))).containsExactly(id);
  }

  @Test
  default void a_claim_from_the_loaded_ownership_moves_it_too_and_conflicts_alike()
      throws Exception {
    String dead = "dead-" + newId();
    String heir = "heir-" + newId();
    String id = newId();
    await(store().create(session(id), dead));
    Ownership loaded = await(store().load(id)).ownership();
    Ownership claimed = await(store().claim(loaded, heir, 0));
    assertThat(claimed.owner()).isEqualTo(heir);
    assertThat(claimed.epoch()).isEqualTo(loaded.epoch() + 1);
    assertThat(await(store().openSessionsOf(dead, "", 10))).isEmpty();
    assertThat(await(store().openSessionsOf(heir, "", 10))).containsExactly(id);
    // The same loaded ownership again: somebody claimed since, the current one comes back.
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> await(store().claim(loaded, "late-" + newId(), 0)))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(StoreErrorKind.CONFLICT);
              assertThat(e.current().owner()).isEqualTo(heir);
            });
    assertThat(await(store().openSessionsOf(heir, "", 10))).containsExactly(id);
  }

  @Test
  default void closed_and_deleted_sessions_are_not_open_sessions_of_their_owner() throws Exception {
    String owner = "owner-" + newId();
    String closed = newId();
    String deleted = newId();
    String open = newId();
    for (String id : List.of(closed, deleted, open)) {
      await(store().create(session(id), owner));
    }
    await(store().close(closed, 1, new CloseInfo("OWNER_LOST", 1_700_000_100_000L)));
    await(store().delete(deleted));
    assertThat(await(store().openSessionsOf(owner, "", 10))).containsExactly(open);
  }
}
