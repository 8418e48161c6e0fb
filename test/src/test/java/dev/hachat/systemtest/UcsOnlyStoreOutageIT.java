package dev.hachat.systemtest;

import dev.hachat.store.postgres.PostgresServer;
import java.util.Map;

/**
 * The store outage scenario in UCS-only mode: PostgreSQL (intermediate transcripts, ownership,
 * registry and contact history) stopped and started again.
 */
class UcsOnlyStoreOutageIT extends StoreOutageScenario {
  PostgresServer postgres;

  @Override
  Map<String, String> startStore() throws Exception {
    postgres = PostgresServer.start();
    return UcsProperties.ucsOnly(postgres);
  }

  @Override
  void stopStore() throws Exception {
    postgres.stop();
  }

  @Override
  void restartStore() throws Exception {
    postgres.startAgain();
  }

  @Override
  void closeStore() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }
}
