package dev.hachat.server.session;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.ReasonCode;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InactivityTest extends EngineTestBase {

  @BeforeEach
  void start() throws Exception {
    sessionOptions.getInactivityControl().setTimeoutAlert(60).setTimeoutClose(30);
    startEngine();
  }

  private List<Entry> transcript(Session s, Joined c) throws Exception {
    return await(s.entriesAfter(c.participantId(), c.secureKey(), 0)).entries();
  }

  @Test
  void idle_chat_gets_an_alert_then_closes() throws Exception {
    Joined c = newChat();
    Session s = session(c);

    clock.advanceSeconds(59);
    engine.checkInactivity();
    assertThat(transcript(s, c)).hasSize(1);

    clock.advanceSeconds(1);
    engine.checkInactivity();
    Awaitility.await()
        .untilAsserted(
            () ->
                assertThat(transcript(s, c))
                    .last()
                    .satisfies(
                        e -> {
                          assertThat(e.type()).isEqualTo(EntryType.NOTICE);
                          assertThat(e.participantType()).isEqualTo(ParticipantType.SYSTEM);
                        }));

    clock.advanceSeconds(29);
    engine.checkInactivity();
    assertThat(await(s.entriesAfter(c.participantId(), c.secureKey(), 0)).chatEnded()).isFalse();

    clock.advanceSeconds(1);
    engine.checkInactivity();
    Awaitility.await()
        .untilAsserted(
            () ->
                assertThat(await(s.entriesAfter(c.participantId(), c.secureKey(), 0)).chatEnded())
                    .isTrue());
    assertThat(await(store.load(c.chatId())).closed().reason())
        .isEqualTo(ReasonCode.INACTIVITY.name());
  }

  @Test
  void a_message_resets_the_inactivity_countdown() throws Exception {
    Joined c = newChat();
    Session s = session(c);
    clock.advanceSeconds(60);
    engine.checkInactivity();
    Awaitility.await().untilAsserted(() -> assertThat(transcript(s, c)).hasSize(2));

    await(s.send(c.participantId(), c.secureKey(), "m1", "still here"));
    clock.advanceSeconds(59);
    engine.checkInactivity();
    assertThat(transcript(s, c)).hasSize(3);
    assertThat(await(s.entriesAfter(c.participantId(), c.secureKey(), 0)).chatEnded()).isFalse();
  }

  @Test
  void typing_is_not_activity() throws Exception {
    Joined c = newChat();
    Session s = session(c);
    clock.advanceSeconds(50);
    await(s.typing(c.participantId(), c.secureKey(), true));
    clock.advanceSeconds(10);
    engine.checkInactivity();
    Awaitility.await()
        .untilAsserted(
            () ->
                assertThat(transcript(s, c))
                    .last()
                    .extracting(Entry::type)
                    .isEqualTo(EntryType.NOTICE));
  }
}
