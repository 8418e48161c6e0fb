package dev.hachat.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.bench.chaos.History.MessageId;
import dev.hachat.bench.chaos.History.Party;
import dev.hachat.bench.chaos.HistoryChecker.Verdict;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checker on synthetic histories: it passes a clean one and catches each kind of fault. */
class HistoryCheckerTest {
  private static final String S = "chat-1";
  private final History history = new History();

  /** Customer c-1, agent a-1, customer c-2, agent a-2 at indexes 2..5, acknowledged by cs1. */
  private List<Entry> cleanRun() {
    history.session(S);
    List<Entry> t = new ArrayList<>();
    t.add(
        new Entry(
            1, EntryType.PARTICIPANT_JOINED, "p1", "Ann", ParticipantType.CLIENT, "", 0, null));
    send(t, Party.CUSTOMER, 1, "cs1");
    send(t, Party.AGENT, 1, "cs1");
    send(t, Party.CUSTOMER, 2, "cs1");
    send(t, Party.AGENT, 2, "cs1");
    return t;
  }

  private void send(List<Entry> t, Party p, int seq, String instance) {
    long index = t.size() + 1;
    Entry e = message(index, p, seq);
    t.add(e);
    MessageId m = new MessageId(S, p, e.clientMessageId());
    history.attempt(m, seq, instance);
    history.ack(m, seq, index, instance);
  }

  private static Entry message(long index, Party p, int seq) {
    String id = (p == Party.CUSTOMER ? "c-" : "a-") + seq;
    ParticipantType type = p == Party.CUSTOMER ? ParticipantType.CLIENT : ParticipantType.AGENT;
    return new Entry(index, EntryType.MESSAGE, p.name(), p.name(), type, "text " + id, 0, id);
  }

  private Verdict check(List<Entry> customerView, List<Entry> agentView) {
    return HistoryChecker.check(
        history, Map.of(S, Map.of(Party.CUSTOMER, customerView, Party.AGENT, agentView)));
  }

  @Test
  void passes_a_clean_history_with_an_unacknowledged_send_absent() {
    List<Entry> t = cleanRun();
    history.attempt(new MessageId(S, Party.CUSTOMER, "c-3"), 3, "cs1"); // never acknowledged
    Verdict v = check(t, t);
    assertThat(v.ok()).as(v.problems().toString()).isTrue();
    assertThat(v.acked()).isEqualTo(4);
    assertThat(v.unacked()).isEqualTo(1);
  }

  @Test
  void finds_an_acknowledged_message_lost() {
    List<Entry> t = cleanRun();
    List<Entry> withoutLast = t.subList(0, t.size() - 1); // a-2 is gone
    Verdict v = check(withoutLast, withoutLast);
    assertThat(v.ok()).isFalse();
    assertThat(v.lost()).isEqualTo(2); // missing from both parties' views
    assertThat(v.problems()).anyMatch(p -> p.contains("a-2") && p.contains("missing"));
  }

  @Test
  void finds_a_duplicate() {
    List<Entry> t = cleanRun();
    t.add(message(6, Party.CUSTOMER, 2)); // c-2 again, as a retry written twice would be
    Verdict v = check(t, t);
    assertThat(v.dup()).isEqualTo(2);
    assertThat(v.ok()).isFalse();
  }

  @Test
  void finds_a_double_owner() {
    List<Entry> t = cleanRun();
    // cs2 also acknowledged a different message (agent a-3) at index 5, where cs1 put a-2.
    history.ack(new MessageId(S, Party.AGENT, "a-3"), 3, 5, "cs2");
    Verdict v = check(t, t);
    assertThat(v.doubleOwners()).isEqualTo(1);
    assertThat(v.ok()).isFalse();
  }

  @Test
  void finds_reordering_gaps_and_misplaced_messages() {
    List<Entry> t = cleanRun();
    List<Entry> swapped = new ArrayList<>(t.subList(0, 1));
    swapped.add(message(2, Party.CUSTOMER, 2)); // c-2 before c-1
    swapped.add(message(3, Party.AGENT, 1));
    swapped.add(message(4, Party.CUSTOMER, 1));
    swapped.add(message(6, Party.AGENT, 2)); // index 5 missing
    Verdict v = check(swapped, swapped);
    assertThat(v.reordered()).isPositive();
    assertThat(v.misplaced()).isPositive();
    assertThat(v.gaps()).isEqualTo(2);
  }

  @Test
  void finds_parties_reading_different_transcripts_and_entries_that_changed_after_shown() {
    List<Entry> t = cleanRun();
    List<Entry> agentView = new ArrayList<>(t);
    agentView.add(
        new Entry(6, EntryType.NOTICE, "system", "", ParticipantType.SYSTEM, "x", 0, null));
    history.seen(S, Party.CUSTOMER, message(5, Party.CUSTOMER, 9)); // shown, then replaced
    Verdict v = check(t, agentView);
    assertThat(v.viewsDiffer()).isEqualTo(1);
    assertThat(v.unstable()).isEqualTo(1);
    assertThat(v.ok()).isFalse();
  }
}
