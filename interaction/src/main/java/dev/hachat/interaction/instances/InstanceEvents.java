package dev.hachat.interaction.instances;

import dev.hachat.esp.client.ChatLocated;
import dev.hachat.esp.client.WaitingChat;

/** What the instances tell the interaction server. Called on any thread; must not block. */
public interface InstanceEvents {
  /** {@code chat} waits at {@code instanceId}, whose ESP address is {@code esp}. */
  void waiting(WaitingChat chat, String instanceId, String esp);

  /** The chat waits no more at its instance: {@code accepted}, {@code closed} or {@code moved}. */
  void waitingEnded(String chatId, String reason);

  /** The chat was restored at {@code located.instanceId()} ({@code esp}). */
  void located(ChatLocated located, String esp);

  /** An agent was invited into a chat owned at {@code esp}. */
  default void invited(dev.hachat.esp.client.ChatInvited invited, String esp) {}
}
