package dev.hachat.server.session;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.store.Entry;
import dev.hachat.store.ReasonCode;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class SessionLimitsTest extends EngineTestBase {

  private List<Entry> transcript(Session s, Joined c) throws Exception {
    return await(s.entriesAfter(c.participantId(), c.secureKey(), 0)).entries();
  }

  private static void assertCode(ThrowingCall call, ErrorCode code) {
    assertThatThrownBy(call::run)
        .isInstanceOf(ChatException.class)
        .extracting(e -> ((ChatException) e).code())
        .isEqualTo(code);
  }

  private Joined startWithChat() throws Exception {
    startEngine();
    return newChat();
  }

  private interface ThrowingCall {
    void run() throws Exception;
  }

  @Test
  void sends_over_the_rate_are_refused_without_consuming_an_index() throws Exception {
    sessionOptions.getLimits().setSendsBurst(3).setSendsPerMinute(60);
    Joined c = startWithChat();
    Session s = session(c);
    for (int i = 0; i < 3; i++) {
      await(s.send(c.participantId(), c.secureKey(), "m" + i, "hello " + i));
    }
    long next = await(s.entriesAfter(c.participantId(), c.secureKey(), 0)).nextPosition();
    assertCode(
        () -> await(s.send(c.participantId(), c.secureKey(), "m3", "x")), ErrorCode.RATE_LIMITED);
    assertThat(await(s.entriesAfter(c.participantId(), c.secureKey(), 0)).nextPosition())
        .isEqualTo(next);
    // a retry of an acknowledged send is answered, not limited
    assertThat(await(s.send(c.participantId(), c.secureKey(), "m0", "hello 0")).text())
        .isEqualTo("hello 0");

    clock.advanceSeconds(1); // one token refilled
    Entry e = await(s.send(c.participantId(), c.secureKey(), "m3", "again"));
    assertThat(e.index()).isEqualTo(next);
    assertThat(kpi.toJson().getLong("limit_sends")).isEqualTo(1);
  }

  @Test
  void typing_and_updates_have_their_own_buckets() throws Exception {
    sessionOptions.getLimits().setTypingBurst(2).setUpdatesBurst(1);
    Joined c = startWithChat();
    Session s = session(c);
    await(s.typing(c.participantId(), c.secureKey(), true));
    await(s.typing(c.participantId(), c.secureKey(), false));
    assertCode(
        () -> await(s.typing(c.participantId(), c.secureKey(), true)), ErrorCode.RATE_LIMITED);
    await(s.updateData(c.participantId(), c.secureKey(), Map.of("k", "v")));
    assertCode(
        () -> await(s.updateNickname(c.participantId(), c.secureKey(), "Bo")),
        ErrorCode.RATE_LIMITED);
    await(s.send(c.participantId(), c.secureKey(), "m1", "sends still work"));
  }

  @Test
  void a_full_transcript_refuses_messages_but_the_chat_can_still_end() throws Exception {
    sessionOptions.setMaxTranscriptEntries(10);
    Joined c = startWithChat(); // entry 1: the customer joined
    Session s = session(c);
    for (int i = 0; i < 9; i++) {
      clock.advanceSeconds(1);
      await(s.send(c.participantId(), c.secureKey(), "m" + i, "text " + i));
    }
    assertCode(
        () -> await(s.send(c.participantId(), c.secureKey(), "m9", "one too many")),
        ErrorCode.TRANSCRIPT_FULL);
    assertThat(transcript(s, c)).hasSize(10);
    await(s.leave(c.participantId(), c.secureKey()));
    Awaitility.await()
        .untilAsserted(
            () -> assertThat(await(store.load(c.chatId())).closed().reason()).isNotNull());
    assertThat(kpi.toJson().getLong("limit_transcript_full")).isEqualTo(1);
  }

  @Test
  void transcript_bytes_are_capped() throws Exception {
    sessionOptions.setMaxTranscriptBytes(2048).setMaxMessageSize(1500);
    Joined c = startWithChat();
    Session s = session(c);
    await(s.send(c.participantId(), c.secureKey(), "m1", "a".repeat(1500)));
    assertCode(
        () -> await(s.send(c.participantId(), c.secureKey(), "m2", "b".repeat(600))),
        ErrorCode.TRANSCRIPT_FULL);
    await(s.send(c.participantId(), c.secureKey(), "m3", "short"));
  }

  @Test
  void a_chat_without_a_customer_message_closes_after_the_timeout() throws Exception {
    sessionOptions.setNoCustomerMessageTimeout(600);
    sessionOptions.getInactivityControl().setTimeoutAlert(10_000);
    startEngine();
    Joined silent = newChat();
    Joined talking = newChat();
    await(session(talking).send(talking.participantId(), talking.secureKey(), "m1", "hi"));

    clock.advanceSeconds(599);
    engine.checkInactivity();
    assertThat(session(silent).isLive()).isTrue();

    clock.advanceSeconds(1);
    engine.checkInactivity();
    Awaitility.await()
        .untilAsserted(
            () ->
                assertThat(await(store.load(silent.chatId())).closed())
                    .isNotNull()
                    .extracting(i -> i.reason())
                    .isEqualTo(ReasonCode.NO_CUSTOMER_MESSAGE.name()));
    assertThat(await(store.load(talking.chatId())).closed()).isNull();
    assertThat(kpi.toJson().getLong("limit_no_customer_message")).isEqualTo(1);
  }
}
