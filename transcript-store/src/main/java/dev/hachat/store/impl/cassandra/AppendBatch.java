package dev.hachat.store.impl.cassandra;

import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import dev.hachat.store.Entry;
import dev.hachat.store.ParticipantRecord;
import dev.hachat.store.Visibility;
import java.util.List;

/**
 * One save of a session as one single-partition batch: its entries (plain, tagged with the writer's
 * epoch) and the participant records that go with them. Participant records are map cells, last
 * write wins: a stale owner's record landing late would undo the new owner's, so a batch that
 * carries any is conditional on the epoch ({@link #conditional}: one Paxos round; joins and leaves
 * only, never a plain message).
 */
final class AppendBatch {
  private AppendBatch() {}

  /**
   * The batch, or null if there is nothing to write. A plain one is idempotent; a conditional one
   * is not, for the driver: no speculative second round competing with the first.
   */
  static BatchStatement of(
      Statements st,
      String sessionId,
      long epoch,
      List<Entry> entries,
      List<ParticipantRecord> participants,
      int ttl) {
    BatchStatementBuilder b = BatchStatement.builder(BatchType.UNLOGGED);
    for (Entry e : entries) {
      b.addStatement(
          st.insertEntry.bind(
              sessionId,
              e.index(),
              epoch,
              e.type().wireName(),
              e.participantId(),
              e.nickname(),
              e.participantType().wireName(),
              e.text(),
              e.utcTime(),
              e.clientMessageId(),
              e.visibility() == Visibility.ALL ? null : e.visibility().wireName(),
              ttl));
    }
    for (ParticipantRecord p : participants) {
      b.addStatement(st.putParticipant.bind(ttl, p.id(), Rows.toJson(p), sessionId, epoch));
    }
    if (b.getStatementsCount() == 0) {
      return null;
    }
    return b.setIdempotence(!conditional(participants)).build();
  }

  /** True if the batch must be applied only at its epoch (its result says whether it was). */
  static boolean conditional(List<ParticipantRecord> participants) {
    return !participants.isEmpty();
  }
}
