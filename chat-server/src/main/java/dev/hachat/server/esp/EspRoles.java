package dev.hachat.server.esp;

import static dev.hachat.esp.protocol.EspFrames.*;

import dev.hachat.common.auth.Principal;
import dev.hachat.common.auth.Role;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;

/**
 * Which roles an ESP operation needs. Operations on one chat ({@code send}, {@code leave}, {@code
 * close}, {@code typing}, {@code refresh}, {@code customNotice}) need no role beyond a login: they
 * act only on chats this connection joined, which {@link EspConnection#membership} checks; {@code
 * attach} needs the participant's secure key. Room operations ({@code room*}) need the agent or
 * supervisor role: agents and supervisors are the members of rooms (docs/rooms.md). Stateless.
 */
final class EspRoles {
  /** Roles an open-mode login gets (no credentials configured): everything, as before. */
  static final Role[] OPEN = {Role.AGENT, Role.SUPERVISOR, Role.WORKFLOW};

  private EspRoles() {}

  /** The roles any one of which {@code op} needs; empty: any logged-in caller. */
  static Role[] needed(String op) {
    return switch (op) {
      case OP_ACCEPT, OP_JOIN, OP_INVITE, OP_UPDATE_DATA -> new Role[] {Role.AGENT};
      case OP_OBSERVE -> new Role[] {Role.SUPERVISOR};
      case OP_INTERACTION_STOPPED, OP_QUEUE_NOTICE -> new Role[] {Role.WORKFLOW};
      case OP_LIST_WAITING -> new Role[] {Role.AGENT, Role.SUPERVISOR, Role.WORKFLOW};
      default ->
          op.startsWith(ROOM_PREFIX) ? new Role[] {Role.AGENT, Role.SUPERVISOR} : new Role[0];
    };
  }

  /** Throws FORBIDDEN when {@code who} may not do {@code op}. */
  static void check(Principal who, String op) {
    Role[] roles = needed(op);
    if (roles.length > 0 && !who.hasAny(roles)) {
      StringBuilder names = new StringBuilder();
      for (Role r : roles) {
        names.append(names.length() == 0 ? "" : " or ").append(r.wireName());
      }
      throw new ChatException(
          ErrorCode.FORBIDDEN,
          "'" + op + "' needs the role " + names + "; " + who.id() + " lacks it");
    }
  }
}
