package dev.hachat.systemtest;

import dev.hachat.store.postgres.PostgresServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * The kill -9 scenario in UCS-only mode: no Cassandra; intermediate transcripts, ownership and the
 * instance registry live in PostgreSQL, which also gets the final transcripts.
 */
class UcsOnlyKillRestoreIT extends KillRestoreScenario {
  PostgresServer postgres;

  @Override
  Map<String, String> instanceProperties() throws Exception {
    postgres = PostgresServer.start();
    return UcsProperties.ucsOnly(postgres);
  }

  @AfterAll
  void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }
}
