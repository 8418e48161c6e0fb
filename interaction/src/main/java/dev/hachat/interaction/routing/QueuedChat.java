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

  ChatInfo info() {
    return new ChatInfo(chatId, queue, customer, subject, userData, createdAt, instanceId, esp);
  }
}
