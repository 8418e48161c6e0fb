package dev.hachat.server.session;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.store.ReasonCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The open-session count ({@code sessions_active}, {@code limit-for-sessions}) drops once per
 * session, whichever ways it stops being open here.
 */
class OpenCountTest extends EngineTestBase {

  @BeforeEach
  void start() throws Exception {
    startEngine();
  }

  private long gauge() {
    return kpi.toJson().getLong("sessions_active");
  }

  @Test
  void a_lease_loss_does_not_count_a_closed_chat_still_retained_a_second_time() throws Exception {
    Joined closed = newChat();
    Joined open = newChat();
    await(session(closed).close(ReasonCode.CUSTOMER_LEFT));
    assertThat(engine.activeSessions()).isEqualTo(1);
    assertThat(engine.holds(closed.chatId())).as("its retention copy is still held").isTrue();

    // The lease lapses: every copy held is fenced, the closed one's retention copy too.
    engine.onLeaseLost();

    assertThat(engine.activeSessions()).isZero();
    assertThat(gauge()).isZero();
    assertThat(engine.holds(open.chatId())).isFalse();
  }
}
