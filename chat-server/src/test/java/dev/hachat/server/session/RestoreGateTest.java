package dev.hachat.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RestoreGate}: the bound on restores at once, and who goes first. */
class RestoreGateTest {
  private final List<String> order = new ArrayList<>();

  private RestoreGate.Ticket enter(RestoreGate g, String name, boolean client) {
    RestoreGate.Ticket t = g.enter(client);
    t.admitted().onSuccess(v -> order.add(name));
    return t;
  }

  @Test
  void at_most_the_bound_at_once_clients_first_and_a_background_one_moves_up_when_asked() {
    RestoreGate g = new RestoreGate(2);
    RestoreGate.Ticket a = enter(g, "a", false);
    RestoreGate.Ticket b = enter(g, "b", false);
    RestoreGate.Ticket c = enter(g, "c", false);
    RestoreGate.Ticket d = enter(g, "d", false);
    RestoreGate.Ticket e = enter(g, "e", true);
    assertThat(order).containsExactly("a", "b");
    assertThat(g.running()).isEqualTo(2);
    assertThat(g.waiting()).isEqualTo(3);

    d.clientWaits(); // a client now asks for d: it goes after e, before c
    a.leave();
    b.leave();
    assertThat(order).containsExactly("a", "b", "e", "d");
    e.leave();
    d.leave();
    assertThat(order).containsExactly("a", "b", "e", "d", "c");
    c.leave();
    assertThat(g.running()).isZero();
    assertThat(g.waiting()).isZero();
  }

  @Test
  void a_ticket_left_before_it_was_admitted_takes_no_place() {
    RestoreGate g = new RestoreGate(1);
    RestoreGate.Ticket a = enter(g, "a", true);
    RestoreGate.Ticket b = enter(g, "b", true);
    RestoreGate.Ticket c = enter(g, "c", true);
    b.leave(); // gave up while waiting
    a.leave();
    assertThat(order).containsExactly("a", "c");
    assertThat(g.running()).isEqualTo(1);
    c.leave();
    a.leave(); // twice: nothing
    assertThat(g.running()).isZero();
  }
}
