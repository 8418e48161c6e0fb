package dev.hachat.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The login and first-frame limits' names in Prometheus and /kpi (docs/metrics.md). */
class LimitKpiTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Kpi kpi = new Kpi(registry);

  @Test
  void every_port_is_there_from_the_start_at_zero() {
    String text = registry.scrape();
    for (String port : new String[] {"esp", "admin", "webapi"}) {
      assertThat(text).contains("hachat_limit_logins_total{port=\"" + port + "\"} 0.0");
    }
    for (String port : new String[] {"esp", "webapi"}) {
      assertThat(text)
          .contains("hachat_limit_first_frame_timeouts_total{port=\"" + port + "\"} 0.0");
    }
    assertThat(kpi.toJson().getLong("limit_logins")).isZero();
    assertThat(kpi.toJson().getLong("limit_first_frame_timeouts")).isZero();
  }

  @Test
  void refusals_count_per_port_and_in_sum() {
    kpi.limits().espLoginLimited();
    kpi.limits().adminLoginLimited();
    kpi.limits().adminLoginLimited();
    kpi.limits().espLoginTimeout();
    kpi.limits().pushHelloTimeout();
    kpi.limits().pushHelloTimeout();
    String text = registry.scrape();
    assertThat(text)
        .contains("hachat_limit_logins_total{port=\"esp\"} 1.0")
        .contains("hachat_limit_logins_total{port=\"admin\"} 2.0")
        .contains("hachat_limit_logins_total{port=\"webapi\"} 0.0")
        .contains("hachat_limit_first_frame_timeouts_total{port=\"esp\"} 1.0")
        .contains("hachat_limit_first_frame_timeouts_total{port=\"webapi\"} 2.0");
    JsonObject json = kpi.toJson();
    assertThat(json.getLong("limit_logins")).isEqualTo(3);
    assertThat(json.getLong("limit_first_frame_timeouts")).isEqualTo(3);
  }
}
