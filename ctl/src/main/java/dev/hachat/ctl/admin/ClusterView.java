package dev.hachat.ctl.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hachat.ctl.CtlException;
import dev.hachat.ctl.ExitCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The cluster as one instance's {@code GET /cluster} shows it: who answered, whether its lease is
 * valid, and every instance in the registry (sorted by id). Resolves an operator's {@code INSTANCE}
 * argument (an id, or the {@code host:port} of an admin port) to an admin address. Immutable.
 */
public record ClusterView(
    String source, String sourceAddress, boolean leaseValid, List<Member> members) {

  public ClusterView {
    members = List.copyOf(members);
  }

  /** Parses a {@code GET /cluster} answer of the instance at {@code address}. */
  public static ClusterView of(String address, JsonNode body) {
    List<Member> list = new ArrayList<>();
    for (JsonNode i : body.path("instances")) {
      list.add(Member.of(i));
    }
    list.sort(Comparator.comparing(Member::id));
    return new ClusterView(
        body.path("instanceId").asText(""),
        address,
        body.path("leaseValid").asBoolean(false),
        list);
  }

  /**
   * The first answer of {@code addresses} (any instance knows the whole registry), asked in turn;
   * when none answers, the first failure.
   */
  public static ClusterView fetch(AdminClient client, List<String> addresses) {
    return Calls.firstAnswer(
        addresses, a -> client.get(a, "/cluster").thenApply(body -> of(a, body)));
  }

  public Optional<Member> member(String id) {
    return members.stream().filter(m -> m.id().equals(id)).findFirst();
  }

  /** The member answering for this view (its {@code self}). */
  public Optional<Member> self() {
    return members.stream().filter(Member::self).findFirst();
  }

  /**
   * The admin address of {@code instance}: itself when it is a {@code host:port}, else the address
   * the registry has for that id ({@link ExitCode#FAILED} when there is none).
   */
  public String adminOf(String instance) {
    if (isAddress(instance)) {
      return instance;
    }
    return member(instance)
        .map(Member::admin)
        .filter(a -> !a.isEmpty())
        .orElseThrow(
            () ->
                new CtlException(
                    ExitCode.FAILED,
                    "no instance "
                        + instance
                        + " in the cluster seen by "
                        + source
                        + " (known: "
                        + String.join(", ", members.stream().map(Member::id).toList())
                        + ")"));
  }

  /** Whether {@code s} is a {@code host:port} (else an instance id). */
  public static boolean isAddress(String s) {
    int colon = s.lastIndexOf(':');
    return colon > 0 && colon < s.length() - 1 && s.substring(colon + 1).matches("\\d{1,5}");
  }
}
