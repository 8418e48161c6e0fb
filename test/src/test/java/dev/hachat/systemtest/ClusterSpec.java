package dev.hachat.systemtest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link ClusterExtension} starts; made by its {@link Builder} ({@link
 * ClusterExtension#builder()}).
 *
 * @param store where the instances keep sessions, ownership and their registry
 * @param cassandraNodes the nodes of the class's own Cassandra ({@link Store#CASSANDRA})
 * @param keyspace the Cassandra keyspace, the class's own (on the shared node too)
 * @param contactHistory a PostgreSQL of the class's own as the UCS contact history
 * @param instances chat-server instances {@code cs1..csN}
 * @param instanceProperties the test's own system properties for every instance (they win over the
 *     store's)
 * @param webApiServers web API servers {@code gms1..gmsM}
 * @param webApiProperties the test's own {@code gms.*} properties (they win over the store's)
 * @param webApiConfig a YAML configuration file's text for every web API server, or null
 * @param interactionServers interaction servers {@code ixn1..ixnK}
 * @param interactionProperties the test's own {@code ixn.*} properties (they win over the store's)
 * @param interactionConfig a YAML configuration file's text for every interaction server, or null
 * @param processesPerTest instances and web API servers start again for each test
 * @param secured security on (accounts, peer secret, maybe TLS), or null: open mode
 */
public record ClusterSpec(
    Store store,
    int cassandraNodes,
    String keyspace,
    boolean contactHistory,
    int instances,
    Map<String, String> instanceProperties,
    int webApiServers,
    Map<String, String> webApiProperties,
    String webApiConfig,
    int interactionServers,
    Map<String, String> interactionProperties,
    String interactionConfig,
    boolean processesPerTest,
    Secured secured) {

  enum Store {
    /** Each instance in memory, UCS off (InstanceProcess's defaults). */
    MEMORY,
    /** The JVM's shared single Cassandra node ({@link SharedCassandra}). */
    SHARED_CASSANDRA,
    /** A Cassandra cluster of the class's own (a test that stops or kills nodes). */
    CASSANDRA,
    /** UCS-only mode: a PostgreSQL of the class's own is the only store. */
    UCS_ONLY
  }

  public ClusterSpec {
    instanceProperties = Collections.unmodifiableMap(new LinkedHashMap<>(instanceProperties));
    webApiProperties = Collections.unmodifiableMap(new LinkedHashMap<>(webApiProperties));
    interactionProperties = Collections.unmodifiableMap(new LinkedHashMap<>(interactionProperties));
  }

  /** What to start: by default one instance in memory, no web API server. */
  public static final class Builder {
    private Store store = Store.MEMORY;
    private int cassandraNodes;
    private String keyspace;
    private boolean contactHistory;
    private int instances = 1;
    private final Map<String, String> instanceProperties = new LinkedHashMap<>();
    private int webApiServers;
    private final Map<String, String> webApiProperties = new LinkedHashMap<>();
    private String webApiConfig;
    private int interactionServers;
    private final Map<String, String> interactionProperties = new LinkedHashMap<>();
    private String interactionConfig;
    private boolean processesPerTest;
    private Secured secured;

    Builder() {}

    /** The JVM's shared Cassandra node, in {@code keyspace} (the class's own). */
    public Builder sharedCassandra(String keyspace) {
      this.store = Store.SHARED_CASSANDRA;
      this.keyspace = keyspace;
      return this;
    }

    /** A Cassandra cluster of {@code nodes} of the class's own, for tests that stop nodes. */
    public Builder cassandra(int nodes, String keyspace) {
      this.store = Store.CASSANDRA;
      this.cassandraNodes = nodes;
      this.keyspace = keyspace;
      return this;
    }

    /** UCS-only mode: a PostgreSQL of the class's own holds everything. */
    public Builder ucsOnly() {
      this.store = Store.UCS_ONLY;
      return this;
    }

    /** A PostgreSQL of the class's own as the instances' UCS (final transcripts). */
    public Builder contactHistory() {
      this.contactHistory = true;
      return this;
    }

    public Builder instances(int n) {
      this.instances = n;
      return this;
    }

    /** A system property of every instance ({@code hachat.*}). */
    public Builder instanceProperty(String key, String value) {
      instanceProperties.put(key, value);
      return this;
    }

    /** Web API servers, each waited for until it lists every instance alive. */
    public Builder webApiServers(int m) {
      this.webApiServers = m;
      return this;
    }

    /** A system property of every web API server ({@code gms.*}). */
    public Builder webApiProperty(String key, String value) {
      webApiProperties.put(key, value);
      return this;
    }

    /**
     * A configuration file (its YAML text) every web API server reads first, for options without a
     * property form (the {@code services} map); the properties still win.
     */
    public Builder webApiConfig(String yaml) {
      this.webApiConfig = yaml;
      return this;
    }

    /**
     * Interaction servers, each waited for until it is connected to every instance; they read the
     * instances' store and registry.
     */
    public Builder interactionServers(int k) {
      this.interactionServers = k;
      return this;
    }

    /** A system property of every interaction server ({@code ixn.*}). */
    public Builder interactionProperty(String key, String value) {
      interactionProperties.put(key, value);
      return this;
    }

    /**
     * A configuration file (its YAML text) every interaction server reads first, for options
     * without a property form (the {@code agents} profiles); the properties still win.
     */
    public Builder interactionConfig(String yaml) {
      this.interactionConfig = yaml;
      return this;
    }

    /** Instances and web API servers start afresh for each test (the store once per class). */
    public Builder processesPerTest() {
      this.processesPerTest = true;
      return this;
    }

    /**
     * Security on in every process ({@link Secured}: accounts, the peer secret, TLS if it has
     * certificates); the extension's own calls then carry the operator's credential.
     */
    public Builder secured(Secured s) {
      this.secured = s;
      instanceProperties.putAll(s.instanceProperties());
      webApiProperties.putAll(s.webApiProperties());
      interactionProperties.putAll(s.interactionProperties());
      return this;
    }

    public ClusterExtension build() {
      return new ClusterExtension(
          new ClusterSpec(
              store,
              cassandraNodes,
              keyspace,
              contactHistory,
              instances,
              instanceProperties,
              webApiServers,
              webApiProperties,
              webApiConfig,
              interactionServers,
              interactionProperties,
              interactionConfig,
              processesPerTest,
              secured));
    }
  }

  /** Whether the class gets a PostgreSQL of its own. */
  boolean postgres() {
    return store == Store.UCS_ONLY || contactHistory;
  }
}
