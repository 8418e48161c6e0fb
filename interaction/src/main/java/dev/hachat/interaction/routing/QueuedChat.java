package dev.hachat.interaction.routing;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** A chat the router knows waits for an agent. Mutable; owned by the {@link Router}'s context. */
final class QueuedChat {
  final String chatId;
  final String queue;
  final long createdAt;
  final int priority;

  /** When the router first saw it waiting (its clock), for the wait times. */
  final long queuedAt;

  String customer;
  String subject;

  /** It ended or was taken while an accept through this router was under way. */
  boolean goneWhileAccepting;

  Map<String, String> userData;

  /** The instance that last announced it, and the ESP address there. */
  String instanceId;

  String esp;

  /** The offer out for it, if any: one at a time. */
  Offer offer;

  /** Agents that rejected it or let its offer time out, skipped while others can take it. */
  final Set<String> passedBy = new HashSet<>();

  /** The agent it had last (it came back to the queue): offered to it first. */
  String lastAgent;

  int offers;

  /** Offers of it an agent rejected, while it waited this time. */
  int rejects;

  QueuedChat(ChatInfo info, int priority, long queuedAt) {
    this.chatId = info.chatId();
    this.queue = info.queue();
    this.createdAt = info.createdAt();
    this.priority = priority;
    this.queuedAt = queuedAt;
    update(info);
  }

  void update(ChatInfo info) {
    this.customer = info.customer();
    this.subject = info.subject();
    this.userData = info.userData();
    this.instanceId = info.instanceId();
    this.esp = info.esp();
  }

  /**
   * The chat as offered: its user data with the routing counts ({@link Router#OFFERS_KEY}, {@link
   * Router#REJECTS_KEY}) over every time it waited, up to and with this offer.
   */
  ChatInfo asOffered() {
    Map<String, String> data = new java.util.LinkedHashMap<>(userData);
    data.put(Router.OFFERS_KEY, Long.toString(count(Router.OFFERS_KEY) + offers));
    data.put(Router.REJECTS_KEY, Long.toString(count(Router.REJECTS_KEY) + rejects));
    return new ChatInfo(
        chatId,
        queue,
        customer,
        subject,
        java.util.Collections.unmodifiableMap(data),
        createdAt,
        instanceId,
        esp);
  }

  /** A count an earlier accept kept in the chat's user data (0: none, or not a number). */
  private long count(String key) {
    try {
      return Math.max(0, Long.parseLong(userData.getOrDefault(key, "0").trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  ChatInfo info() {
    return new ChatInfo(chatId, queue, customer, subject, userData, createdAt, instanceId, esp);
  }
}
