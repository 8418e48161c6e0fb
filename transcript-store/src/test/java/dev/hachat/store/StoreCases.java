package dev.hachat.store;

import dev.hachat.store.spi.TranscriptStore;
import java.util.Map;
import java.util.UUID;

/** What the case groups of {@link TranscriptStoreContract} share: the store, records to write. */
interface StoreCases {

  TranscriptStore store();

  static String newId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  static SessionRecord session(String id) {
    return new SessionRecord(
        id, 1_700_000_000_000L, "billing", Map.of("lang", "en", "tier", "gold"));
  }

  static Entry message(long index, String text) {
    return new Entry(
        index,
        EntryType.MESSAGE,
        "p1",
        "Ann",
        ParticipantType.CLIENT,
        text,
        1_700_000_000_000L + index,
        "m" + index);
  }

  static ParticipantRecord participant(String id, ParticipantType type) {
    return new ParticipantRecord(id, type, "nick-" + id, "hash-" + id, 1_700_000_000_000L, false);
  }
}
