package dev.hachat.interaction.routing;

import java.util.function.Consumer;

/**
 * The agents' states as the router changes them (docs/agent-api.md, "States"): a state set by the
 * desktop, after-call work with its timer back to Ready, NotReady {@code missed-offers} after too
 * many offers in a row left to time out, and the time spent in each state for the metrics.
 *
 * <p>Threading: not thread-safe; on the router's context, its timers too.
 */
final class AgentStates {
  private final RouterSettings settings;
  private final Scheduler scheduler;
  private final RouterEvents events;
  private final Consumer<AgentEntry> readyAgain;

  /**
   * @param readyAgain called when after-call work ended and the agent is Ready again (the router
   *     offers what waits)
   */
  AgentStates(
      RouterSettings settings,
      Scheduler scheduler,
      RouterEvents events,
      Consumer<AgentEntry> readyAgain) {
    this.settings = settings;
    this.scheduler = scheduler;
    this.events = events;
    this.readyAgain = readyAgain;
  }

  /**
   * The agent is put in {@code state} by its desktop (or its home, after a take-over); {@code
   * reason} is kept for NotReady; AfterCallWork starts its timer when one is configured.
   */
  void set(AgentEntry a, AgentState state, String reason) {
    cancelAcw(a);
    change(a, state, state == AgentState.NOT_READY ? reason : "");
    if (state == AgentState.AFTER_CALL_WORK && settings.afterCallWorkMs() > 0) {
      startAcw(a);
    }
  }

  /** The agent closed a chat while Ready: after-call work, when it is configured. */
  void closedAChat(AgentEntry a) {
    if (settings.afterCallWorkMs() > 0 && a.state == AgentState.READY) {
      change(a, AgentState.AFTER_CALL_WORK, "");
      events.stateChanged(a.agentId, a.state, "");
      startAcw(a);
    }
  }

  /** An offer to the agent timed out: too many in a row set it NotReady ({@code missed-offers}). */
  void missedAnOffer(AgentEntry a) {
    if (++a.missed >= settings.maxMissedOffers() && a.state == AgentState.READY) {
      change(a, AgentState.NOT_READY, Router.MISSED_OFFERS);
      events.stateChanged(a.agentId, a.state, a.reason);
    }
  }

  /** The agent is forgotten: its timer stops and the time in its last state is counted. */
  void gone(AgentEntry a) {
    cancelAcw(a);
    events.stateTime(a.state, scheduler.now() - a.stateSince);
  }

  void cancelAcw(AgentEntry a) {
    if (a.acwTimer >= 0) {
      scheduler.cancel(a.acwTimer);
      a.acwTimer = -1;
    }
  }

  private void change(AgentEntry a, AgentState state, String reason) {
    long now = scheduler.now();
    if (a.state != state) {
      events.stateTime(a.state, now - a.stateSince);
      a.stateSince = now;
    }
    if (state == AgentState.READY && a.state != AgentState.READY) {
      a.idleSince = now;
    }
    a.state = state;
    a.reason = reason;
  }

  private void startAcw(AgentEntry a) {
    a.acwTimer =
        scheduler.after(
            settings.afterCallWorkMs(),
            () -> {
              a.acwTimer = -1;
              if (a.state == AgentState.AFTER_CALL_WORK) {
                change(a, AgentState.READY, "");
                events.stateChanged(a.agentId, a.state, "");
                readyAgain.accept(a);
              }
            });
  }
}
