package dev.hachat.interaction.config;

import java.util.ArrayList;
import java.util.List;

/** One agent's routing profile ({@code agents.<agentId>}): its capacity and skills. */
public class AgentProfile {
  private int capacity;
  private List<String> skills = new ArrayList<>();

  /** Concurrent chats; 0: {@code routing.default-capacity}. */
  public int getCapacity() {
    return capacity;
  }

  public AgentProfile setCapacity(int capacity) {
    this.capacity = capacity;
    return this;
  }

  /** The queues (chat services) it serves; empty: {@code routing.default-skills}. */
  public List<String> getSkills() {
    return skills;
  }

  public AgentProfile setSkills(List<String> skills) {
    this.skills = skills;
    return this;
  }
}
