package dev.hachat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one list of reason codes: which end a chat, which a participant's part, and the defaults. */
class ReasonCodeTest {

  @Test
  void close_reasons_are_exactly_the_documented_ones() {
    assertThat(Arrays.stream(ReasonCode.values()).filter(ReasonCode::endsChat))
        .containsExactlyInAnyOrder(
            ReasonCode.CUSTOMER_LEFT,
            ReasonCode.AGENT_CLOSED,
            ReasonCode.ALL_LEFT,
            ReasonCode.INACTIVITY,
            ReasonCode.NO_CUSTOMER_MESSAGE,
            ReasonCode.INTERACTION_STOPPED,
            ReasonCode.OWNER_LOST,
            ReasonCode.STORE_ERROR);
  }

  @Test
  void leave_reasons_are_exactly_the_documented_ones() {
    assertThat(Arrays.stream(ReasonCode.values()).filter(ReasonCode::endsPart))
        .containsExactlyInAnyOrder(
            ReasonCode.CUSTOMER_LEFT,
            ReasonCode.AGENT_CLOSED,
            ReasonCode.AGENT_LEFT,
            ReasonCode.TRANSFERRED_OUT,
            ReasonCode.LEFT,
            ReasonCode.DISCONNECTED,
            ReasonCode.REMOVED_DURING_RESTORE);
    assertThat(ReasonCode.MOVED.endsChat()).as("a copy's end, not the chat's").isFalse();
    assertThat(ReasonCode.MOVED.endsPart()).isFalse();
  }

  @Test
  void the_codes_stored_before_this_list_keep_their_names() {
    for (String stored :
        new String[] {
          "CUSTOMER_LEFT",
          "AGENT_CLOSED",
          "ALL_LEFT",
          "INACTIVITY",
          "NO_CUSTOMER_MESSAGE",
          "INTERACTION_STOPPED",
          "STORE_ERROR",
          "OWNER_LOST",
          "MOVED"
        }) {
      assertThat(ReasonCode.parse(stored)).as(stored).map(ReasonCode::name).contains(stored);
    }
    assertThat(ReasonCode.parse("CLIENT_LEFT")).isEqualTo(Optional.empty());
    assertThat(ReasonCode.parse(null)).isEmpty();
    assertThat(new CloseInfo(ReasonCode.INACTIVITY, 5)).isEqualTo(new CloseInfo("INACTIVITY", 5));
    assertThat(new CloseInfo("SOMETHING_NEWER", 5).code()).isEmpty();
  }

  @Test
  void each_kind_of_participant_has_a_default_leave_reason() {
    assertThat(ReasonCode.defaultLeave(ParticipantType.CLIENT)).isEqualTo(ReasonCode.CUSTOMER_LEFT);
    assertThat(ReasonCode.defaultLeave(ParticipantType.AGENT)).isEqualTo(ReasonCode.AGENT_LEFT);
    assertThat(ReasonCode.defaultLeave(ParticipantType.SUPERVISOR)).isEqualTo(ReasonCode.LEFT);
    assertThat(ReasonCode.defaultLeave(ParticipantType.EXTERNAL)).isEqualTo(ReasonCode.LEFT);
  }

  @Test
  void a_leave_entry_gives_its_reason_an_old_one_its_default_and_other_entries_none() {
    Entry left =
        new Entry(
            3,
            EntryType.PARTICIPANT_LEFT,
            "a",
            "Bob",
            ParticipantType.AGENT,
            "TRANSFERRED_OUT",
            1,
            null);
    Entry old =
        new Entry(3, EntryType.PARTICIPANT_LEFT, "a", "Bob", ParticipantType.AGENT, "", 1, null);
    Entry message =
        new Entry(
            3, EntryType.MESSAGE, "a", "Bob", ParticipantType.AGENT, "TRANSFERRED_OUT", 1, "m");
    assertThat(ReasonCode.leaveReasonOf(left)).isEqualTo("TRANSFERRED_OUT");
    assertThat(ReasonCode.leaveReasonOf(old)).isEqualTo("AGENT_LEFT");
    assertThatThrownBy(() -> ReasonCode.leaveReasonOf(message))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
