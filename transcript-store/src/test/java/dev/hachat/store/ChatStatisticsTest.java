package dev.hachat.store;

import static dev.hachat.store.ChatTimeline.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hachat.store.ChatStatistics.Part;
import org.junit.jupiter.api.Test;

/** {@link ChatStatistics#of}: exact figures from hand-built transcripts (times after creation). */
class ChatStatisticsTest {
  private static final ParticipantType CLIENT = ParticipantType.CLIENT;
  private static final ParticipantType AGENT = ParticipantType.AGENT;

  /** A chat whose customer joins at its creation. */
  private static ChatTimeline customerAtZero() {
    return new ChatTimeline().joins("c", CLIENT, 0);
  }

  private static ChatStatistics of(StoredSession chat) {
    return ChatStatistics.of(chat);
  }

  @Test
  void one_agent_chat_has_its_queue_wait_answer_time_and_handle_time() {
    ChatStatistics s =
        of(
            customerAtZero()
                .says("c", 2_000)
                .joins("a", AGENT, "agent-1", 45_000)
                .says("c", 50_000) // the customer's message does not answer
                .says("a", 57_500)
                .says("a", 60_000)
                .leaves("c", ReasonCode.CUSTOMER_LEFT, 300_000)
                .closes(ReasonCode.CUSTOMER_LEFT, 300_000));

    assertThat(s.queueWaitMillis()).isEqualTo(45_000L);
    assertThat(s.timeToAnswerMillis()).isEqualTo(12_500L);
    assertThat(s.agents()).isEqualTo(1);
    assertThat(s.transfers()).isZero();
    assertThat(s.restores()).isZero();
    assertThat(s.offers()).isZero();
    assertThat(s.rejects()).isZero();
    assertThat(s.participants())
        .containsExactly(
            new Part("c", CLIENT, null, T0, T0 + 300_000, "CUSTOMER_LEFT", null),
            new Part("a", AGENT, "agent-1", T0 + 45_000, T0 + 300_000, "CUSTOMER_LEFT", 255_000L));
  }

  @Test
  void a_transfer_counts_once_and_each_agent_has_its_own_handle_time() {
    ChatStatistics s =
        of(
            customerAtZero()
                .joins("a1", AGENT, "agent-1", 10_000)
                .says("a1", 15_000)
                .leaves("a1", ReasonCode.TRANSFERRED_OUT, 70_000)
                .joins("a2", AGENT, "agent-2", 80_000)
                .says("a2", 81_000)
                .leaves("a2", ReasonCode.AGENT_CLOSED, 200_000)
                .closes(ReasonCode.AGENT_CLOSED, 200_000));

    assertThat(s.queueWaitMillis()).as("to the first agent").isEqualTo(10_000L);
    assertThat(s.timeToAnswerMillis()).as("the first agent's answer").isEqualTo(5_000L);
    assertThat(s.agents()).isEqualTo(2);
    assertThat(s.transfers()).isEqualTo(1);
    assertThat(s.participants())
        .extracting(Part::participantId, Part::leaveReason, Part::handleMillis)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("c", "AGENT_CLOSED", null),
            org.assertj.core.groups.Tuple.tuple("a1", "TRANSFERRED_OUT", 60_000L),
            org.assertj.core.groups.Tuple.tuple("a2", "AGENT_CLOSED", 120_000L));
  }

  @Test
  void two_agents_one_after_the_other_without_transfer_and_the_same_agent_twice() {
    ChatStatistics s =
        of(
            customerAtZero()
                .joins("a1", AGENT, "agent-1", 20_000)
                .leaves("a1", ReasonCode.AGENT_LEFT, 30_000) // back to the queue
                .joins("a2", AGENT, "agent-2", 40_000)
                .leaves("a2", ReasonCode.AGENT_LEFT, 50_000)
                .joins("a3", AGENT, "agent-1", 60_000) // agent-1 takes it again
                .says("a3", 65_000)
                .closes(ReasonCode.INACTIVITY, 100_000));

    assertThat(s.agents()).as("agent-1 counts once").isEqualTo(2);
    assertThat(s.transfers()).isZero();
    assertThat(s.queueWaitMillis()).isEqualTo(20_000L);
    assertThat(s.timeToAnswerMillis())
        .as("first agent join to first agent message")
        .isEqualTo(45_000L);
    assertThat(s.participants())
        .extracting(Part::participantId, Part::leftAt, Part::leaveReason, Part::handleMillis)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("c", T0 + 100_000, "INACTIVITY", null),
            org.assertj.core.groups.Tuple.tuple("a1", T0 + 30_000, "AGENT_LEFT", 10_000L),
            org.assertj.core.groups.Tuple.tuple("a2", T0 + 50_000, "AGENT_LEFT", 10_000L),
            org.assertj.core.groups.Tuple.tuple("a3", T0 + 100_000, "INACTIVITY", 40_000L));
  }

  @Test
  void restores_are_counted_from_tagged_notices_and_from_the_texts_of_earlier_versions() {
    ChatStatistics s =
        of(
            customerAtZero()
                .joins("a", AGENT, "agent-1", 5_000)
                .restored(false, 20_000)
                .says("a", 30_000)
                .restored(true, 40_000)
                .notice(RestoreNotice.TEXT_INTERRUPTED, 50_000) // an earlier version's notice
                .notice("The chat has been inactive; it will close soon without activity.", 60_000)
                .leaves("c", ReasonCode.CUSTOMER_LEFT, 90_000)
                .closes(ReasonCode.CUSTOMER_LEFT, 90_000));

    assertThat(s.restores()).isEqualTo(3);
    assertThat(s.timeToAnswerMillis()).isEqualTo(25_000L);
    assertThat(s.participants().get(1).handleMillis()).isEqualTo(85_000L);
  }

  @Test
  void a_chat_without_agent_has_no_queue_wait_nor_answer() {
    ChatStatistics s =
        of(
            customerAtZero()
                .says("c", 1_000)
                .joins("sup", ParticipantType.SUPERVISOR, "super-1", 2_000)
                .leaves("sup", ReasonCode.LEFT, 3_000)
                .leaves("c", ReasonCode.CUSTOMER_LEFT, 9_000)
                .closes(ReasonCode.CUSTOMER_LEFT, 9_000));

    assertThat(s.queueWaitMillis()).isNull();
    assertThat(s.timeToAnswerMillis()).isNull();
    assertThat(s.agents()).isZero();
    assertThat(s.participants())
        .extracting(Part::agentId, Part::leaveReason, Part::handleMillis)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(null, "CUSTOMER_LEFT", null),
            org.assertj.core.groups.Tuple.tuple("super-1", "LEFT", null));
  }

  @Test
  void a_chat_closed_while_waiting_keeps_its_offers_and_rejects() {
    ChatStatistics s =
        of(
            customerAtZero()
                .data(ChatStatistics.OFFERS_KEY, "4")
                .data(ChatStatistics.REJECTS_KEY, " 3 ")
                .closes(ReasonCode.INTERACTION_STOPPED, 120_000));

    assertThat(s.queueWaitMillis()).isNull();
    assertThat(s.timeToAnswerMillis()).isNull();
    assertThat(s.agents()).isZero();
    assertThat(s.offers()).isEqualTo(4);
    assertThat(s.rejects()).isEqualTo(3);
    assertThat(s.participants())
        .containsExactly(
            new Part("c", CLIENT, null, T0, T0 + 120_000, "INTERACTION_STOPPED", null));
  }

  @Test
  void an_agent_who_never_wrote_has_no_answer_time() {
    ChatStatistics s =
        of(
            customerAtZero()
                .joins("a", AGENT, 7_000)
                .leaves("c", ReasonCode.CUSTOMER_LEFT, 8_000)
                .closes(ReasonCode.CUSTOMER_LEFT, 8_000));

    assertThat(s.queueWaitMillis()).isEqualTo(7_000L);
    assertThat(s.timeToAnswerMillis()).isNull();
    assertThat(s.agents()).as("a seat without an agent id counts").isEqualTo(1);
    assertThat(s.participants().get(1).handleMillis()).isEqualTo(1_000L);
  }

  @Test
  void leaves_of_earlier_versions_get_the_default_reason_of_their_kind() {
    ChatStatistics s =
        of(
            customerAtZero()
                .joins("a", AGENT, "agent-1", 1_000)
                .leaves("a", "", 2_000)
                .leaves("c", "", 3_000)
                .closes("CUSTOMER_LEFT", 3_000));

    assertThat(s.participants())
        .extracting(Part::leaveReason)
        .containsExactly("CUSTOMER_LEFT", "AGENT_LEFT");
    assertThat(s.transfers()).isZero();
  }

  @Test
  void malformed_counts_and_clock_skew_count_as_zero() {
    ChatStatistics s =
        of(
            customerAtZero()
                .data(ChatStatistics.OFFERS_KEY, "many")
                .data(ChatStatistics.REJECTS_KEY, "-2")
                .joins("a", AGENT, "agent-1", 10_000)
                .says("a", 9_000) // the restoring instance's clock was behind
                .leaves("a", ReasonCode.AGENT_LEFT, 8_000)
                .closes(ReasonCode.ALL_LEFT, 8_500));

    assertThat(s.offers()).isZero();
    assertThat(s.rejects()).isZero();
    assertThat(s.timeToAnswerMillis()).isZero();
    assertThat(s.participants().get(1).handleMillis()).isZero();
  }

  @Test
  void an_open_chat_has_no_statistics() {
    StoredSession closed = new ChatTimeline().joins("c", CLIENT, 0).closes(ReasonCode.ALL_LEFT, 1);
    StoredSession open =
        new StoredSession(
            closed.session(), closed.ownership(), closed.participants(), closed.entries(), null);
    assertThatThrownBy(() -> ChatStatistics.of(open)).isInstanceOf(NullPointerException.class);
  }
}
