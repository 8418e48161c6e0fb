package dev.hachat.common.auth;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * An authenticated caller: an account id (an agent id, an operator's name, a process id) and its
 * roles. Immutable.
 */
public record Principal(String id, Set<Role> roles) {
  public Principal {
    Objects.requireNonNull(id, "id");
    roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
  }

  public static Principal of(String id, Role... roles) {
    return new Principal(id, roles.length == 0 ? Set.of() : EnumSet.of(roles[0], roles));
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  /** Whether it has any of {@code any}. */
  public boolean hasAny(Role... any) {
    for (Role r : any) {
      if (roles.contains(r)) {
        return true;
      }
    }
    return false;
  }
}
