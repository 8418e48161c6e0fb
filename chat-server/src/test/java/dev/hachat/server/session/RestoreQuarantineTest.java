package dev.hachat.server.session;

import static dev.hachat.server.testing.ChatFailures.assertFailsWith;
import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.server.testing.InProcessNode;
import dev.hachat.store.Entry;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * R7 and R3 with a hand-moved clock (docs/consistency.md): a resumed, restarted or new instance
 * owns nothing in its quarantine, so an observer with a fresh but older view makes no second owner;
 * a claim sent before a pause acknowledges nothing when answered after it; a gracefully stopped
 * owner is taken over at once. Engines in one JVM over a store that, like Cassandra, accepts stale
 * writes; restore itself: {@link RestoreTest}.
 */
class RestoreQuarantineTest extends ClusterTestBase {
  {
    store.plainWrites = true; // as with Cassandra: only the lease stops a stale owner (R2)
  }

  /** Waits until {@code f} completed, either way. */
  private static <T> Future<T> settled(Future<T> f) throws Exception {
    await(f.transform(ar -> Future.succeededFuture()));
    return f;
  }

  /** If {@code got} gave a session, sends on it and records the message if acknowledged. */
  private static void sendOnWhatItGot(
      Future<Session> got, Joined c, String id, List<String> acked) {
    String text = got.succeeded() ? sendOrNull(got.result(), c, id, "sent on " + id) : null;
    if (text != null) {
      acked.add(text);
    }
  }

  /** Sends a message and returns its text if it was acknowledged, else null. */
  private static String sendOrNull(Session s, Joined c, String id, String text) {
    try {
      return await(s.send(c.participantId(), c.secureKey(), id, text)).text();
    } catch (Exception e) {
      return null;
    }
  }

  /** Every acknowledged message is in the stored transcript once, indexes without gaps (R5). */
  private void assertAcknowledgedAreStored(Joined c, List<String> acknowledged) throws Exception {
    List<Entry> stored = await(store.load(c.chatId())).entries();
    assertThat(stored).extracting(Entry::index).doesNotHaveDuplicates();
    assertThat(stored.get(stored.size() - 1).index()).isEqualTo(stored.size());
    List<String> texts = stored.stream().map(Entry::text).toList();
    for (String a : acknowledged) {
      assertThat(texts).as("acknowledged %s", a).containsOnlyOnce(a);
    }
  }

  /**
   * A chat on a with one acknowledged message (added to {@code acked}); then a falls silent (paused
   * or killed) a little longer than the heartbeat timeout while b polls on.
   */
  private Joined chatOnAThenSilenceA(InProcessNode a, InProcessNode b, List<String> acked)
      throws Exception {
    advance(ha.quarantineMillis(), a, b);
    Joined c = await(a.engine().requestChat("Ann", "", Map.of()));
    acked.add(sendOrNull(await(a.engine().find(c.chatId())), c, "m1", "before the silence"));
    advance(ha.getHeartbeatTimeout() + ha.getHeartbeatInterval(), b);
    return c;
  }

  @Test
  void resumed_owner_claims_nothing_in_quarantine_so_a_stale_view_makes_no_second_owner()
      throws Exception {
    InProcessNode a = node("cs-a");
    InProcessNode b = node("cs-b");
    List<String> acked = new ArrayList<>();
    // a is paused a little longer than the timeout; b polls on and finds a dead.
    Joined c = chatOnAThenSilenceA(a, b, acked);
    // a resumes: it fences what it held and gains a new lease at once, in quarantine.
    tickNow(a);
    assertThat(a.membership().leaseValid()).isTrue();
    assertThat(a.membership().inQuarantine()).isTrue();
    // A request reaches a first: the owner is a itself.
    Future<Session> onA = settled(a.engine().find(c.chatId()));
    // b's view is fresh but older than a's new heartbeat: b finds a dead and takes the chat.
    Session onB = await(b.engine().find(c.chatId()));
    acked.add(sendOrNull(onB, c, "m2", "on b"));
    // Whatever a got may acknowledge nothing now: b owns the chat.
    sendOnWhatItGot(onA, c, "m-a", acked);
    assertAcknowledgedAreStored(c, acked);
    // (How: a claimed nothing in its quarantine, R7.)
    assertFailsWith(ErrorCode.INSTANCE_UNAVAILABLE, onA);

    // Out of quarantine, a sends the chat's requests to b and acknowledges nothing for it.
    advance(ha.quarantineMillis(), a, b);
    Assertions.assertThatThrownBy(() -> await(a.engine().find(c.chatId())))
        .isInstanceOfSatisfying(
            ChatException.class, e -> assertThat(e.details().getString("owner")).isEqualTo("cs-b"));
    acked.add(sendOrNull(onB, c, "m3", "on b again"));
    assertThat(acked).doesNotContainNull();
    assertThat(await(store.load(c.chatId())).ownership().epoch()).isEqualTo(2);
    assertAcknowledgedAreStored(c, acked);
  }

  @Test
  void resumed_owner_takes_its_chat_back_after_quarantine_and_every_fresh_view_then_sees_it()
      throws Exception {
    InProcessNode a = node("cs-a");
    InProcessNode b = node("cs-b");
    List<String> acked = new ArrayList<>();
    Joined c = chatOnAThenSilenceA(a, b, acked);

    // a resumes; b does not poll again until a's quarantine is over (b is slow, or paused).
    tickNow(a);
    advance(ha.quarantineMillis(), a);
    Session onA = await(a.engine().find(c.chatId()));
    acked.add(sendOrNull(onA, c, "m2", "on a after its quarantine"));
    // b's view from before a's resume is no longer fresh; the one it reads shows a alive.
    assertFailsWith(ErrorCode.NOT_OWNER, b.engine().find(c.chatId()));
    acked.add(sendOrNull(onA, c, "m3", "on a again"));
    assertThat(acked).doesNotContainNull();
    assertThat(await(store.load(c.chatId())).ownership())
        .satisfies(o -> assertThat(o.owner()).isEqualTo("cs-a"))
        .satisfies(o -> assertThat(o.epoch()).isEqualTo(2));
    assertAcknowledgedAreStored(c, acked);
  }

  @Test
  void instance_restarted_under_its_old_id_claims_nothing_in_quarantine() throws Exception {
    InProcessNode a = node("cs-a");
    InProcessNode b = node("cs-b");
    List<String> acked = new ArrayList<>();
    // a is killed; b polls on and finds it dead; a restarts under the same id before b polls.
    Joined c = chatOnAThenSilenceA(a, b, acked);
    InProcessNode a2 = node("cs-a");
    Future<Session> onA2 = settled(a2.engine().find(c.chatId()));
    // b still sees the old incarnation's counter standing: it takes the chat, rightly.
    Session onB = await(b.engine().find(c.chatId()));
    acked.add(sendOrNull(onB, c, "m2", "on b"));
    sendOnWhatItGot(onA2, c, "m-a2", acked);
    assertAcknowledgedAreStored(c, acked);
    // (How: the new incarnation claims and creates nothing in its quarantine, R7.)
    assertThat(a2.membership().inQuarantine()).isTrue();
    assertFailsWith(ErrorCode.INSTANCE_UNAVAILABLE, onA2);
    assertFailsWith(ErrorCode.INSTANCE_UNAVAILABLE, a2.engine().requestChat("Bea", "", Map.of()));

    advance(ha.quarantineMillis(), a2, b);
    assertFailsWith(ErrorCode.NOT_OWNER, a2.engine().find(c.chatId()));
    acked.add(sendOrNull(onB, c, "m3", "on b again"));
    assertThat(acked).doesNotContainNull();
    assertThat(await(store.load(c.chatId())).ownership().epoch()).isEqualTo(2);
    assertAcknowledgedAreStored(c, acked);
    // Its own new chats it takes now.
    await(a2.engine().requestChat("Bea", "", Map.of()));
  }

  @Test
  void new_instance_creates_nothing_before_every_fresh_view_shows_it() throws Exception {
    InProcessNode b = node("cs-b");
    advance(ha.quarantineMillis() + ha.getHeartbeatTimeout(), b);
    InProcessNode n = node("cs-n");
    // b's view is fresh but older than n's first heartbeat: n must not own anything yet.
    assertFailsWith(ErrorCode.INSTANCE_UNAVAILABLE, n.engine().requestChat("Ann", "", Map.of()));
    assertThat(b.membership().isAlive("cs-n")).as("missing, but not for the timeout").isTrue();

    advance(ha.quarantineMillis(), b, n);
    Joined c = await(n.engine().requestChat("Ann", "", Map.of()));
    Session onN = await(n.engine().find(c.chatId()));
    String m1 = sendOrNull(onN, c, "m1", "hello");
    Assertions.assertThatThrownBy(() -> await(b.engine().find(c.chatId())))
        .isInstanceOfSatisfying(
            ChatException.class, e -> assertThat(e.details().getString("owner")).isEqualTo("cs-n"));
    String m2 = sendOrNull(onN, c, "m2", "still here");
    assertThat(List.of(m1, m2)).doesNotContainNull();
    assertAcknowledgedAreStored(c, List.of(m1, m2));
  }

  @Test
  void claim_sent_before_a_pause_acknowledges_nothing_when_answered_after_it() throws Exception {
    InProcessNode a = node("cs-a");
    InProcessNode b = node("cs-b");
    List<String> acked = new ArrayList<>();
    // a loses its lease once (its held copy is fenced) and gets it back, quarantine over.
    Joined c = chatOnAThenSilenceA(a, b, acked);
    tickNow(a);
    advance(ha.quarantineMillis(), a, b);

    // a claims its chat again; the claim applies, its answer is late (a is paused meanwhile).
    store.holdClaimAnswersOf = "cs-a";
    Future<Session> late = a.engine().find(c.chatId());
    advance(ha.getHeartbeatTimeout() + ha.getHeartbeatInterval(), b);
    Session onB = await(b.engine().find(c.chatId()));
    acked.add(sendOrNull(onB, c, "m2", "on b"));
    // a resumes with a new lease; past its quarantine the old claim's answer arrives.
    tickNow(a);
    advance(ha.quarantineMillis(), a, b);
    store.answerClaims();
    // The guard was taken under the old lease: the late copy acknowledges nothing.
    Session lateCopy = await(late);
    assertThat(sendOrNull(lateCopy, c, "m-late", "on the late copy")).isNull();
    assertThat(lateCopy.isFenced()).isTrue();
    acked.add(sendOrNull(onB, c, "m3", "on b again"));
    assertThat(acked).doesNotContainNull();
    assertThat(await(store.load(c.chatId())).ownership().epoch()).isEqualTo(3);
    assertAcknowledgedAreStored(c, acked);
  }

  @Test
  void gracefully_stopped_owner_is_taken_over_at_once() throws Exception {
    InProcessNode a = node("cs-a");
    InProcessNode b = node("cs-b");
    advance(ha.quarantineMillis(), a, b);
    Joined c = await(a.engine().requestChat("Ann", "", Map.of()));
    String m1 = sendOrNull(await(a.engine().find(c.chatId())), c, "m1", "before the stop");
    a.membership().stop();
    await(a.membership().deregister());
    advance(ha.getHeartbeatInterval(), b); // b sees the record saying a stopped
    Session onB = await(b.engine().find(c.chatId())); // well before the heartbeat timeout
    String m2 = sendOrNull(onB, c, "m2", "on b");
    assertThat(List.of(m1, m2)).doesNotContainNull();
    assertAcknowledgedAreStored(c, List.of(m1, m2));
  }
}
