package dev.hachat.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link StoredSession#storable()}: what a refused final transcript is written as; {@link
 * StoredSession#participantsInTranscript()}: the records the transcript bears out.
 */
class StoredSessionTest {

  private static StoredSession chat(String clientMessageId, String text) {
    Map<String, ParticipantRecord> parts = new LinkedHashMap<>();
    parts.put("p1", new ParticipantRecord("p1", ParticipantType.CLIENT, "Ann", "h1", 1000, true));
    Entry joined =
        new Entry(
            1, EntryType.PARTICIPANT_JOINED, "p1", "Ann", ParticipantType.CLIENT, "", 1000, null);
    Entry message =
        new Entry(
            2, EntryType.MESSAGE, "p1", "Ann", ParticipantType.CLIENT, text, 1001, clientMessageId);
    return new StoredSession(
        new SessionRecord("c1", 1000, "subject", Map.of("k", "v")),
        new Ownership("c1", "cs1", 1, 0, false),
        parts,
        List.of(joined, message),
        new CloseInfo("CLIENT_LEFT", 2000));
  }

  @Test
  void a_client_message_id_a_store_cannot_keep_is_cleaned_like_the_other_fields() {
    StoredSession dirty = chat("m\u00001\uD83D", "fine");
    StoredSession clean = dirty.storable();
    assertThat(clean).as("the id alone makes the copy").isNotSameAs(dirty);
    assertThat(clean.entries().get(1).clientMessageId()).isEqualTo("m\uFFFD1\uFFFD");
    assertThat(clean.entries().get(1).text()).isEqualTo("fine");
    assertThat(clean.entries().get(0).clientMessageId()).isNull();
  }

  @Test
  void a_session_with_nothing_to_clean_is_returned_as_it_is() {
    StoredSession ok = chat("m-1 \uD83D\uDE00", "two\r\nlines\ttab");
    assertThat(ok.storable()).isSameAs(ok);
  }

  @Test
  void records_without_a_join_are_left_out_and_left_follows_the_transcript() {
    Map<String, ParticipantRecord> parts = new LinkedHashMap<>();
    parts.put("p1", new ParticipantRecord("p1", ParticipantType.CLIENT, "Ann", "h1", 1000, true));
    parts.put("p2", new ParticipantRecord("p2", ParticipantType.AGENT, "Bob", "h2", 1001, true));
    parts.put("p3", new ParticipantRecord("p3", ParticipantType.AGENT, "Cy", "h3", 1002, false));
    List<Entry> entries =
        List.of(
            new Entry(
                1, EntryType.PARTICIPANT_JOINED, "p1", "Ann", ParticipantType.CLIENT, "", 1, null),
            new Entry(
                2, EntryType.PARTICIPANT_JOINED, "p2", "Bob", ParticipantType.AGENT, "", 2, null),
            new Entry(
                3, EntryType.PARTICIPANT_LEFT, "p1", "Ann", ParticipantType.CLIENT, "", 3, null));
    StoredSession s =
        new StoredSession(
            new SessionRecord("c1", 1000, "subject", Map.of()),
            new Ownership("c1", "cs1", 2, 3, false),
            parts,
            entries,
            null);

    Map<String, ParticipantRecord> seen = s.participantsInTranscript();
    assertThat(seen).containsOnlyKeys("p1", "p2"); // p3's join never made the transcript
    assertThat(seen.get("p1")).isEqualTo(parts.get("p1")); // left, as its leave entry says
    assertThat(seen.get("p2").left()).as("its leave entry is not in the transcript").isFalse();
    assertThat(seen.get("p2").secureKeyHash()).isEqualTo("h2");
  }
}
