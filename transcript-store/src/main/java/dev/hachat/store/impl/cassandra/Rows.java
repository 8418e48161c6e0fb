package dev.hachat.store.impl.cassandra;

import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hachat.store.Entry;
import dev.hachat.store.ParticipantRecord;

/** Conversions between the store's records and Cassandra rows and columns. Stateless. */
final class Rows {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Rows() {}

  static Entry entry(Row r) {
    return dev.hachat.store.impl.Rows.entry(r::getString, r::getLong);
  }

  static String toJson(ParticipantRecord p) {
    try {
      return JSON.writeValueAsString(p);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static ParticipantRecord participant(String json) {
    try {
      return JSON.readValue(json, ParticipantRecord.class);
    } catch (Exception e) {
      throw new IllegalStateException("unreadable participant record: " + json, e);
    }
  }
}
