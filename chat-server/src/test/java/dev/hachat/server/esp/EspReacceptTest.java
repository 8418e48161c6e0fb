package dev.hachat.server.esp;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.error.ErrorCode;
import dev.hachat.esp.client.AcceptedChat;
import dev.hachat.esp.client.EspClient;
import dev.hachat.server.session.Joined;
import dev.hachat.server.session.Session;
import org.junit.jupiter.api.Test;

/**
 * An agent whose accept answer was lost (its connection dropped, or its instance was stopped) and
 * who accepts again gets its own seat back under a new key; another agent still gets ALREADY_TAKEN,
 * and the first key no longer works.
 */
class EspReacceptTest extends EspTestBase {

  @Test
  void the_same_agent_accepting_again_gets_its_seat_back_with_a_new_key() throws Exception {
    Joined c = customer();
    EspClient first = agent("a1", "Bob");
    AcceptedChat lost = await(first.accept(c.chatId()));
    await(first.disconnect()); // the answer "never arrived"

    EspClient again = agent("a1", "Bob");
    AcceptedChat back = await(again.accept(c.chatId()));
    assertThat(back.participantId()).isEqualTo(lost.participantId());
    assertThat(back.secureKey()).isNotEqualTo(lost.secureKey());
    await(again.send(c.chatId(), "r1", "still here"));

    Session s = session(c);
    assertFailsWith(ErrorCode.FORBIDDEN, s.send(lost.participantId(), lost.secureKey(), "x", "y"));
    assertFailsWith(ErrorCode.ALREADY_TAKEN, agent("a2", "Eve").accept(c.chatId()));
    long joins =
        await(s.entriesAfter(c.participantId(), c.secureKey(), 0)).entries().stream()
            .filter(e -> e.participantId().equals(back.participantId()))
            .filter(e -> e.type() == dev.hachat.store.EntryType.PARTICIPANT_JOINED)
            .count();
    assertThat(joins).as("one join in the transcript").isEqualTo(1);
  }
}
