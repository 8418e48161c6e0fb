package dev.hachat.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The participant record's JSON, as both backends store it (Jackson in Cassandra, Vert.x's {@code
 * mapFrom}/{@code mapTo} in PostgreSQL): the agent id is new, records without one read and write as
 * before, and fields of later versions are ignored.
 */
class ParticipantRecordTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void a_record_without_agent_id_is_written_as_before() throws Exception {
    ParticipantRecord p = new ParticipantRecord("p1", ParticipantType.CLIENT, "Ann", "h", 5, false);
    assertThat(new JsonObject(JSON.writeValueAsString(p)).fieldNames())
        .containsExactlyInAnyOrder("id", "type", "nickname", "secureKeyHash", "joinedAt", "left");
    assertThat(JsonObject.mapFrom(p).containsKey("agentId")).isFalse();
  }

  @Test
  void an_agent_id_round_trips_and_survives_the_changes_of_a_record() throws Exception {
    ParticipantRecord p =
        new ParticipantRecord("a1", ParticipantType.AGENT, "Bob", "h", 5, false, "agent-7");
    assertThat(JSON.readValue(JSON.writeValueAsString(p), ParticipantRecord.class)).isEqualTo(p);
    assertThat(JsonObject.mapFrom(p).mapTo(ParticipantRecord.class)).isEqualTo(p);
    assertThat(p.withLeft().withNickname("Bobby").withSecureKeyHash("h2").agentId())
        .isEqualTo("agent-7");
  }

  @Test
  void a_record_of_an_earlier_version_reads_and_one_of_a_later_version_too() throws Exception {
    String earlier =
        "{\"id\":\"p1\",\"type\":\"CLIENT\",\"nickname\":\"Ann\",\"secureKeyHash\":\"h\","
            + "\"joinedAt\":5,\"left\":true}";
    assertThat(JSON.readValue(earlier, ParticipantRecord.class))
        .isEqualTo(new ParticipantRecord("p1", ParticipantType.CLIENT, "Ann", "h", 5, true));
    String later = earlier.replace("}", ",\"somethingNew\":42}");
    assertThat(JSON.readValue(later, ParticipantRecord.class).left()).isTrue();
    assertThat(new JsonObject(later).mapTo(ParticipantRecord.class).left()).isTrue();
  }
}
