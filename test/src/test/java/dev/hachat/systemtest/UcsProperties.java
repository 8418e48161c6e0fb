package dev.hachat.systemtest;

import dev.hachat.store.postgres.PostgresServer;
import java.util.LinkedHashMap;
import java.util.Map;

/** System properties that point an instance's UCS at a test PostgreSQL. */
final class UcsProperties {
  private UcsProperties() {}

  static Map<String, String> of(PostgresServer pg) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("hachat.ucs.enabled", "true");
    p.put("hachat.ucs.postgres.port", String.valueOf(pg.port()));
    p.put("hachat.ucs.postgres.password", "postgres");
    p.put("hachat.ucs.sweep-interval", "500");
    p.put("hachat.ucs.final-retry-max-delay", "1000");
    return p;
  }

  /** UCS-only mode: PostgreSQL is the only store. */
  static Map<String, String> ucsOnly(PostgresServer pg) {
    Map<String, String> p = of(pg);
    p.put("hachat.store.type", "ucs");
    return p;
  }
}
