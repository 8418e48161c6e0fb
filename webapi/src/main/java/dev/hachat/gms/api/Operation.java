package dev.hachat.gms.api;

import java.util.Optional;

/**
 * The operations on an existing chat, by their GMS names (REST path segment = CometD operation).
 */
public enum Operation {
  SEND("send", "sendMessage"),
  REFRESH("refresh", "requestNotifications"),
  DISCONNECT("disconnect", "disconnect"),
  START_TYPING("startTyping", "startTyping"),
  STOP_TYPING("stopTyping", "stopTyping"),
  CUSTOM_NOTICE("customNotice", "customNotice"),
  UPDATE_NICKNAME("updateNickname", "updateNickname"),
  UPDATE_DATA("updateData", "updateData");

  private final String restName;
  private final String cometdName;

  Operation(String restName, String cometdName) {
    this.restName = restName;
    this.cometdName = cometdName;
  }

  /** The last path segment of the REST call, e.g. {@code send}. */
  public String restName() {
    return restName;
  }

  /** The {@code data.operation} of the CometD publish, e.g. {@code sendMessage}. */
  public String cometdName() {
    return cometdName;
  }

  public static Optional<Operation> fromRest(String name) {
    for (Operation op : values()) {
      if (op.restName.equals(name)) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }

  public static Optional<Operation> fromCometd(String name) {
    for (Operation op : values()) {
      if (op.cometdName.equals(name)) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }
}
