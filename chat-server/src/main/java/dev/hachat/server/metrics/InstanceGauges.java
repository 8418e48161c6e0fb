package dev.hachat.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The gauges an alert needs besides the counters (deploy/prometheus/hachat-rules.yml): the
 * configured session limit, whether the instance takes new chats now, and its state, one series per
 * state with 1 on the current one. Read on Prometheus's scrape from any thread; the suppliers must
 * be safe to call there.
 */
public final class InstanceGauges {
  private InstanceGauges() {}

  /**
   * @param sessionLimit {@code session.limit-for-sessions}: {@code hachat_session_limit}
   * @param states every state's name ({@code normal}, {@code disabled}, …)
   * @param state the current state's name: {@code hachat_instance_state{state=…}} is 1 for it
   * @param accepting what {@code /health} says as {@code acceptingChats}: {@code
   *     hachat_accepting_chats} 1 or 0
   */
  public static void register(
      MeterRegistry registry,
      int sessionLimit,
      List<String> states,
      Supplier<String> state,
      BooleanSupplier accepting) {
    Gauge.builder("hachat.session.limit", () -> sessionLimit)
        .description("The most open sessions this instance takes (session.limit-for-sessions)")
        .register(registry);
    Gauge.builder("hachat.accepting.chats", () -> accepting.getAsBoolean() ? 1 : 0)
        .description("1 while this instance takes new chats, 0 while it refuses them")
        .register(registry);
    for (String s : states) {
      Gauge.builder("hachat.instance.state", () -> s.equals(state.get()) ? 1 : 0)
          .description("1 for the state this instance is in (normal, disabled, draining, …)")
          .tag("state", s)
          .register(registry);
    }
  }
}
