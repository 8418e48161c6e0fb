package dev.hachat.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.systemtest.PartitionTraffic.Ack;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * What a fault run left: the chat and its traffic (stopped, the desk still connected), the owner's
 * id, when the fault began and ended. Closing it disconnects the desk.
 */
record FaultRun(
    GmsCustomers customers,
    GmsCustomers.Chat chat,
    PartitionTraffic traffic,
    String owner,
    long faultAt,
    long healAt)
    implements AutoCloseable {
  List<Ack> acks(Predicate<Ack> which) {
    return traffic.acks().stream().filter(which).toList();
  }

  /**
   * One instance acknowledging at a time, no customer refusal that is not retryable, every
   * acknowledged message in the transcript once and in order, the agent handed every customer
   * message.
   */
  void assertInvariants() throws Exception {
    assertThat(traffic.ownerRuns())
        .as("instances acknowledging in turn: none again after another one")
        .doesNotHaveDuplicates();
    assertThat(traffic.fatal()).as("customer answers that are not retryable").isEmpty();
    var transcript = customers.wholeTranscript(chat).getJsonArray("messages");
    assertThat(TranscriptCheck.problems(transcript, traffic.ackedInOrder()))
        .as("transcript of %s against %d acknowledged messages", chat.chatId, traffic.acks().size())
        .isEmpty();
    List<String> customerTexts =
        acks(x -> x.side().equals("customer")).stream().map(Ack::text).toList();
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(traffic.agentSaw()).containsAll(customerTexts));
  }

  @Override
  public void close() throws Exception {
    traffic.close();
  }
}
