package dev.hachat.interaction.config;

import dev.hachat.common.auth.SecurityOptions;
import dev.hachat.common.config.ConfigException;
import dev.hachat.common.config.ConfigLoader;
import dev.hachat.common.config.DurationUnit;
import dev.hachat.common.config.PortOptions;
import dev.hachat.store.StoreOptions;
import dev.hachat.store.UcsOptions;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Everything an interaction server can be told; every option appears once in {@code
 * config/interaction.yaml} with its default. Loaded by {@link #loader()} from YAML, {@code IXN_…}
 * environment variables and {@code ixn.…} system properties.
 */
public class InteractionOptions {
  /** Default {@code http.port}: the agent API (WebSocket {@code /agent}), health and metrics. */
  public static final int DEFAULT_PORT = 8095;

  /** Default {@code registry-poll-interval}: how often the instance registry is read. */
  public static final long DEFAULT_REGISTRY_POLL_INTERVAL = 1_000;

  /**
   * Default {@code instance-heartbeat-timeout}: a registry row whose heartbeat has not moved this
   * long shows as {@code failed} in the state table (the instances' default ha.heartbeat-timeout).
   */
  public static final long DEFAULT_INSTANCE_HEARTBEAT_TIMEOUT = 3_000;

  /** Default {@code max-frame-size}: bytes of one agent API frame. */
  public static final int DEFAULT_MAX_FRAME_SIZE = 64 * 1024;

  /** Default {@code idle-timeout}: seconds a silent agent connection stays open. */
  public static final int DEFAULT_IDLE_TIMEOUT = 60;

  private String id = "";
  private PortOptions http = new PortOptions("127.0.0.1", DEFAULT_PORT);
  private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;

  @DurationUnit(ChronoUnit.SECONDS)
  private int idleTimeout = DEFAULT_IDLE_TIMEOUT;

  @DurationUnit(ChronoUnit.MILLIS)
  private long registryPollInterval = DEFAULT_REGISTRY_POLL_INTERVAL;

  @DurationUnit(ChronoUnit.MILLIS)
  private long instanceHeartbeatTimeout = DEFAULT_INSTANCE_HEARTBEAT_TIMEOUT;

  private StoreOptions store = new StoreOptions();
  private UcsOptions ucs = new UcsOptions();
  private SecurityOptions security = new SecurityOptions();
  private RoutingOptions routing = new RoutingOptions();
  private ElectionOptions election = new ElectionOptions();
  private DesktopOptions desktop = new DesktopOptions();
  private Map<String, AgentProfile> agents = new LinkedHashMap<>();

  /** The loader: {@code IXN_HTTP_PORT=8096}, {@code -Dixn.http.port=8096}. */
  public static ConfigLoader<InteractionOptions> loader() {
    return new ConfigLoader<>(
        InteractionOptions.class,
        InteractionOptions::new,
        InteractionOptions::validate,
        "IXN_",
        "ixn.");
  }

  /** This server's name in logs and metrics; empty: a random {@code ixn-xxxxxxxx}. */
  public String getId() {
    return id;
  }

  /** {@link #getId()}, or a random name when it is empty (chosen once). */
  public String effectiveId() {
    if (id.isEmpty()) {
      id = "ixn-" + UUID.randomUUID().toString().substring(0, 8);
    }
    return id;
  }

  public InteractionOptions setId(String id) {
    this.id = id;
    return this;
  }

  public PortOptions getHttp() {
    return http;
  }

  public InteractionOptions setHttp(PortOptions http) {
    this.http = http;
    return this;
  }

  public int getMaxFrameSize() {
    return maxFrameSize;
  }

  public InteractionOptions setMaxFrameSize(int bytes) {
    this.maxFrameSize = bytes;
    return this;
  }

  public int getIdleTimeout() {
    return idleTimeout;
  }

  public InteractionOptions setIdleTimeout(int seconds) {
    this.idleTimeout = seconds;
    return this;
  }

  public long getRegistryPollInterval() {
    return registryPollInterval;
  }

  public InteractionOptions setRegistryPollInterval(long ms) {
    this.registryPollInterval = ms;
    return this;
  }

  public long getInstanceHeartbeatTimeout() {
    return instanceHeartbeatTimeout;
  }

  public InteractionOptions setInstanceHeartbeatTimeout(long ms) {
    this.instanceHeartbeatTimeout = ms;
    return this;
  }

  /** Where the instance registry is (the instances' own {@code store}). */
  public StoreOptions getStore() {
    return store;
  }

  public InteractionOptions setStore(StoreOptions store) {
    this.store = store;
    return this;
  }

  public UcsOptions getUcs() {
    return ucs;
  }

  public InteractionOptions setUcs(UcsOptions ucs) {
    this.ucs = ucs;
    return this;
  }

  /** Agent accounts and token secrets (the instances' own; docs/security.md). */
  public SecurityOptions getSecurity() {
    return security;
  }

  public InteractionOptions setSecurity(SecurityOptions security) {
    this.security = security;
    return this;
  }

  public RoutingOptions getRouting() {
    return routing;
  }

  public InteractionOptions setRouting(RoutingOptions routing) {
    this.routing = routing;
    return this;
  }

  /** How the servers choose the one that routes. */
  public ElectionOptions getElection() {
    return election;
  }

  public InteractionOptions setElection(ElectionOptions election) {
    this.election = election;
    return this;
  }

  /** What the web agent desktop offers: canned responses and disposition codes. */
  public DesktopOptions getDesktop() {
    return desktop;
  }

  public InteractionOptions setDesktop(DesktopOptions desktop) {
    this.desktop = desktop;
    return this;
  }

  /** Routing profiles by agent id; an agent without one gets the defaults. */
  public Map<String, AgentProfile> getAgents() {
    return agents;
  }

  public InteractionOptions setAgents(Map<String, AgentProfile> agents) {
    this.agents = agents;
    return this;
  }

  public InteractionOptions validate() {
    ConfigException.check(
        id != null && id.matches("[A-Za-z0-9._-]{0,64}"), "id", "0-64 of A-Z a-z 0-9 . _ -");
    http.validate("http");
    ConfigException.check(maxFrameSize >= 4096, "max-frame-size", "must be >= 4096 bytes");
    ConfigException.check(idleTimeout >= 1, "idle-timeout", "must be >= 1 s");
    ConfigException.check(registryPollInterval >= 10, "registry-poll-interval", "must be >= 10 ms");
    ConfigException.check(
        instanceHeartbeatTimeout >= 2 * registryPollInterval,
        "instance-heartbeat-timeout",
        "must be >= 2 x registry-poll-interval (a heartbeat is only seen at a poll)");
    store.validate();
    if (store.getType() == StoreOptions.Type.MEMORY) {
      throw new ConfigException(
          "store.type",
          "the interaction server reads the shared instance registry: cassandra or ucs");
    }
    ucs.validate();
    ConfigException.check(security != null, "security", "missing");
    security.validate();
    security.refuseOpenBeyondLoopback(Map.of("http.host", http.getHost()));
    ConfigException.check(routing != null, "routing", "missing");
    routing.validate();
    ConfigException.check(election != null, "election", "missing");
    election.validate();
    ConfigException.check(desktop != null, "desktop", "missing");
    desktop.validate();
    ConfigException.check(agents != null, "agents", "must be a map");
    agents.forEach(
        (agentId, p) -> {
          ConfigException.check(p != null, "agents." + agentId, "must be an object");
          ConfigException.check(p.getCapacity() >= 0, "agents." + agentId + ".capacity", ">= 0");
          ConfigException.check(p.getSkills() != null, "agents." + agentId + ".skills", "a list");
        });
    return this;
  }
}
