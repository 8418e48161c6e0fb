package dev.hachat.server.session;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.server.testing.InProcessNode;
import dev.hachat.store.ReasonCode;
import dev.hachat.store.Rendezvous;
import dev.hachat.store.StoredSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The orphan sweep ({@link OrphanSweep}) with engines of three instances in one JVM on a hand-moved
 * clock: the owner of open chats dies and their parties never come back.
 */
class OrphanSweepTest extends ClusterTestBase {
  private static final int CLOSE_AFTER = 10_000;

  {
    nodes.addressesOn("127.0.0.1");
    ha.setOrphanCloseAfter(CLOSE_AFTER);
  }

  private OrphanSweep sweepOf(InProcessNode n) {
    return OrphanSweep.create(nodes.vertx(), n.engine(), store, n.membership(), ha);
  }

  private static long kpi(InProcessNode n, String name) {
    return n.engine().kpi().toJson().getLong(name);
  }

  @Test
  void orphans_are_closed_owner_lost_by_their_heir_only_after_orphan_close_after()
      throws Exception {
    InProcessNode a = node("cs-a");
    InProcessNode b = node("cs-b");
    InProcessNode c = node("cs-c");
    advance(ha.quarantineMillis(), a, b, c);
    List<String> chats = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      chats.add(await(a.engine().requestChat("Ann" + i, "billing", Map.of())).chatId());
    }
    OrphanSweep onB = sweepOf(b);
    OrphanSweep onC = sweepOf(c);
    advance(ha.getHeartbeatTimeout() + 1000, b, c); // a died
    assertThat(await(onB.sweep()) + await(onC.sweep())).isZero(); // first seen dead now
    advance(CLOSE_AFTER - 1000, b, c);
    assertThat(await(onB.sweep()) + await(onC.sweep())).isZero();
    for (String id : chats) {
      assertThat(await(store.load(id)).isClosed()).isFalse();
    }

    advance(1000, b, c);
    int byB = await(onB.sweep());
    int byC = await(onC.sweep());
    assertThat(byB + byC).isEqualTo(chats.size());
    assertThat(await(onB.sweep()) + await(onC.sweep())).isZero(); // each once
    for (String id : chats) {
      StoredSession s = await(store.load(id));
      String heir = Rendezvous.pick(id, List.of("cs-b", "cs-c"), x -> x).orElseThrow();
      assertThat(s.closed().reason()).isEqualTo(ReasonCode.OWNER_LOST.name());
      assertThat(s.ownership().owner()).isEqualTo(heir);
      assertThat(s.ownership().epoch()).isEqualTo(2);
    }
    assertThat(kpi(b, "sessions_orphan_closed")).isEqualTo(byB);
    assertThat(kpi(c, "sessions_orphan_closed")).isEqualTo(byC);
    assertThat(kpi(b, "session_restored") + kpi(c, "session_restored")).isEqualTo(chats.size());
    assertThat(kpi(b, "orphan_sweep_failures") + kpi(c, "orphan_sweep_failures")).isZero();
  }

  @Test
  void a_client_returning_before_orphan_close_after_gets_a_normal_restore() throws Exception {
    InProcessNode a = node("cs-a");
    InProcessNode b = node("cs-b");
    InProcessNode c = node("cs-c");
    advance(ha.quarantineMillis(), a, b, c);
    Joined chat = await(a.engine().requestChat("Ann", "billing", Map.of()));
    OrphanSweep onB = sweepOf(b);
    OrphanSweep onC = sweepOf(c);
    advance(ha.getHeartbeatTimeout() + 1000, b, c); // a died
    await(onB.sweep());
    await(onC.sweep());
    String heirId = Rendezvous.pick(chat.chatId(), List.of("cs-b", "cs-c"), x -> x).orElseThrow();
    InProcessNode heir = heirId.equals("cs-b") ? b : c;
    Session restored = await(heir.engine().find(chat.chatId())); // the customer is back

    advance(CLOSE_AFTER + 1000, b, c);
    assertThat(await(onB.sweep()) + await(onC.sweep())).isZero();
    StoredSession s = await(store.load(chat.chatId()));
    assertThat(s.isClosed()).isFalse();
    assertThat(s.ownership().owner()).isEqualTo(heirId);
    assertThat(restored.isLive()).isTrue();
    assertThat(await(restored.send(chat.participantId(), chat.secureKey(), "m1", "hi")).index())
        .isPositive();
  }

  @Test
  void a_sweep_failure_is_counted_and_the_next_sweep_closes_the_orphan() throws Exception {
    InProcessNode a = node("cs-a");
    InProcessNode b = node("cs-b");
    advance(ha.quarantineMillis(), a, b);
    Joined chat = await(a.engine().requestChat("Ann", "billing", Map.of()));
    OrphanSweep onB = sweepOf(b);
    advance(ha.getHeartbeatTimeout() + 1000, b); // a died
    await(onB.sweep());
    advance(CLOSE_AFTER, b);
    store.down = true;
    assertThat(await(onB.sweep())).isZero();
    assertThat(kpi(b, "orphan_sweep_failures")).isEqualTo(1);
    store.down = false;
    advance(ha.getHeartbeatInterval(), b); // the lease survived the outage of one sweep
    assertThat(await(onB.sweep())).isEqualTo(1);
    assertThat(await(store.load(chat.chatId())).closed().reason())
        .isEqualTo(ReasonCode.OWNER_LOST.name());
    assertThat(kpi(b, "sessions_orphan_closed")).isEqualTo(1);
  }
}
