package dev.hachat.esp.client;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/** The ESP endpoints ({@code host:port}) a {@link FailoverEspClient} knows. Thread-safe. */
final class Endpoints {
  private final List<String> all;

  Endpoints(Collection<String> initial) {
    this.all = new CopyOnWriteArrayList<>(initial);
  }

  String first() {
    return all.get(0);
  }

  /** Learns an endpoint (a redirect named it, or an interaction server did). */
  void add(String endpoint) {
    if (!all.contains(endpoint)) {
      all.add(endpoint);
    }
  }

  /** A random endpoint other than {@code current} (or it, if it is the only one). */
  String another(String current) {
    List<String> others = all.stream().filter(e -> !e.equals(current)).toList();
    return others.isEmpty()
        ? current
        : others.get(ThreadLocalRandom.current().nextInt(others.size()));
  }
}
