package dev.hachat.store;

import dev.hachat.common.config.ConfigException;

/** Which transcript store the instance uses. */
public class StoreOptions {
  /** The available backends. */
  public enum Type {
    /** In-process only: for a quick look and unit tests; a crash loses everything. */
    MEMORY,
    /** Apache Cassandra: intermediate transcripts survive any instance; restore works. */
    CASSANDRA,
    /**
     * UCS-only mode: intermediate transcripts, ownership and the registry in the contact-history
     * PostgreSQL ({@code ucs.postgres}); restore works without Cassandra.
     */
    UCS
  }

  /** Default {@code store.type}: cassandra, so a fresh install is highly available. */
  public static final Type DEFAULT_TYPE = Type.CASSANDRA;

  private Type type = DEFAULT_TYPE;
  private dev.hachat.store.CassandraStoreOptions cassandra =
      new dev.hachat.store.CassandraStoreOptions();

  public dev.hachat.store.CassandraStoreOptions getCassandra() {
    return cassandra;
  }

  public StoreOptions setCassandra(dev.hachat.store.CassandraStoreOptions cassandra) {
    this.cassandra = cassandra;
    return this;
  }

  public Type getType() {
    return type;
  }

  public StoreOptions setType(Type type) {
    this.type = type;
    return this;
  }

  public void validate() {
    ConfigException.check(type != null, "store.type", "must be memory, cassandra or ucs");
    ConfigException.check(cassandra != null, "store.cassandra", "missing");
    ConfigException.check(
        !cassandra.getContactPoints().isEmpty()
            && cassandra.getContactPoints().stream().allMatch(c -> c.matches(".+:\\d+")),
        "store.cassandra.contact-points",
        "a list of host:port");
    ConfigException.check(
        cassandra.getRequestTimeout() >= 1, "store.cassandra.request-timeout", "must be >= 1 ms");
    ConfigException.check(cassandra.getTtl() >= 60, "store.cassandra.ttl", "must be >= 60 s");
    ConfigException.check(
        cassandra.getMaxConcurrentRequests() >= 1,
        "store.cassandra.max-concurrent-requests",
        "must be >= 1");
    ConfigException.check(
        cassandra.getMaxQueuedRequests() >= 0,
        "store.cassandra.max-queued-requests",
        "must be >= 0");
  }
}
