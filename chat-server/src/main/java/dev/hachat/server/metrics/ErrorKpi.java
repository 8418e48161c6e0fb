package dev.hachat.server.metrics;

import dev.hachat.common.error.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Map;

/**
 * Error answers by their stable code ({@link ErrorCode}) and the port that gave them: {@code
 * hachat_errors_total{port="webapi|esp",code="…"}} (docs/metrics.md). Every code of both ports is
 * registered at start, so a rate over a code that has not happened yet is 0, not missing, and the
 * first error of a kind is not lost to Prometheus's rate of a new series. Thread-safe (Micrometer
 * meters are).
 */
public final class ErrorKpi {
  /** The ports that answer clients with error codes. */
  public enum Port {
    /** The customer-side HTTP port (error bodies of {@code /v1/chats/*}). */
    WEBAPI("webapi"),
    /** The agent-side ESP port (error replies). */
    ESP("esp");

    private final String tag;

    Port(String tag) {
      this.tag = tag;
    }
  }

  private final Map<Port, Map<ErrorCode, Counter>> counters = new EnumMap<>(Port.class);

  ErrorKpi(MeterRegistry registry) {
    for (Port port : Port.values()) {
      Map<ErrorCode, Counter> byCode = new EnumMap<>(ErrorCode.class);
      for (ErrorCode code : ErrorCode.values()) {
        byCode.put(
            code,
            Counter.builder("hachat.errors")
                .description("Error answers to clients, by port and stable error code")
                .tag("port", port.tag)
                .tag("code", code.name())
                .register(registry));
      }
      counters.put(port, byCode);
    }
  }

  /** {@code port} answered a request with {@code code}. */
  public void answered(Port port, ErrorCode code) {
    counters.get(port).get(code).increment();
  }

  /** {@code errors}: the codes answered so far (both ports summed), the others left out. */
  void addTo(JsonObject kpi) {
    JsonObject errors = new JsonObject();
    for (ErrorCode code : ErrorCode.values()) {
      long n = 0;
      for (Port port : Port.values()) {
        n += (long) counters.get(port).get(code).count();
      }
      if (n > 0) {
        errors.put(code.name(), n);
      }
    }
    kpi.put("errors", errors);
  }
}
