package dev.hachat.store;

import dev.hachat.common.config.DurationUnit;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Connection and behaviour of the Cassandra store (see docs/cassandra.md). */
public class CassandraStoreOptions {
  public static final List<String> DEFAULT_CONTACT_POINTS = List.of("127.0.0.1:19042");
  public static final String DEFAULT_LOCAL_DATACENTER = "datacenter1";
  public static final String DEFAULT_KEYSPACE = "hachat";

  /** Default consistency of reads and writes. */
  public static final String DEFAULT_CONSISTENCY = "LOCAL_QUORUM";

  /** Default consistency of the compare-and-set (LWT) steps: create, claim, release, close. */
  public static final String DEFAULT_SERIAL_CONSISTENCY = "LOCAL_SERIAL";

  /** Default milliseconds one request may take. */
  public static final int DEFAULT_REQUEST_TIMEOUT = 2000;

  /** Default seconds until intermediate records expire (what a crash leaves behind). */
  public static final int DEFAULT_TTL = 172_800;

  /** Default: create the keyspace (SimpleStrategy) and tables at start if missing. */
  public static final boolean DEFAULT_CREATE_SCHEMA = true;

  public static final int DEFAULT_REPLICATION_FACTOR = 1;

  /**
   * Default {@code max-concurrent-requests}: the chat requests (creates, saves, claims, reads) one
   * instance has in flight to Cassandra at once; the rest wait in the driver's queue, the wait
   * counted in {@code request-timeout}. Bounding them bounds the nodes' queues, so the heartbeats
   * and leases, which go on a session of their own outside this bound, are answered in time under
   * any load: an instance overloaded with chats slows them down instead of losing its lease.
   */
  public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 64;

  /** Default {@code max-queued-requests}: beyond them a request fails at once, retryable. */
  public static final int DEFAULT_MAX_QUEUED_REQUESTS = 10_000;

  private List<String> contactPoints = new ArrayList<>(DEFAULT_CONTACT_POINTS);
  private String localDatacenter = DEFAULT_LOCAL_DATACENTER;
  private String keyspace = DEFAULT_KEYSPACE;
  private String consistency = DEFAULT_CONSISTENCY;
  private String serialConsistency = DEFAULT_SERIAL_CONSISTENCY;

  @DurationUnit(ChronoUnit.MILLIS)
  private int requestTimeout = DEFAULT_REQUEST_TIMEOUT;

  @DurationUnit(ChronoUnit.SECONDS)
  private int ttl = DEFAULT_TTL;

  private boolean createSchema = DEFAULT_CREATE_SCHEMA;
  private int replicationFactor = DEFAULT_REPLICATION_FACTOR;
  private int maxConcurrentRequests = DEFAULT_MAX_CONCURRENT_REQUESTS;
  private int maxQueuedRequests = DEFAULT_MAX_QUEUED_REQUESTS;
  private String username = "";
  private String password = "";
  private String truststorePath = "";
  private String truststorePassword = "";
  private String keystorePath = "";
  private String keystorePassword = "";

  /**
   * Default {@code hostname-validation}: with TLS, each node's certificate must name the host or
   * address the driver connects to, as written (a contact point's host name or IP address, a
   * discovered node's IP address; no reverse DNS), so a stolen certificate of another host is
   * refused. TLS itself is on when {@code truststore-path} or {@code keystore-path} is set.
   */
  public static final boolean DEFAULT_HOSTNAME_VALIDATION = true;

  private boolean hostnameValidation = DEFAULT_HOSTNAME_VALIDATION;

  /**
   * Default {@code local-address}: empty, the operating system picks the address the driver's
   * connections come from. Set it on a host with several addresses to make them come from one (the
   * partition tests give each process of a network namespace its own loopback address).
   */
  public static final String DEFAULT_LOCAL_ADDRESS = "";

  private String localAddress = DEFAULT_LOCAL_ADDRESS;

  public String getLocalAddress() {
    return localAddress;
  }

  public CassandraStoreOptions setLocalAddress(String v) {
    this.localAddress = v;
    return this;
  }

  public boolean isHostnameValidation() {
    return hostnameValidation;
  }

  public CassandraStoreOptions setHostnameValidation(boolean v) {
    this.hostnameValidation = v;
    return this;
  }

  public List<String> getContactPoints() {
    return contactPoints;
  }

  public CassandraStoreOptions setContactPoints(List<String> v) {
    this.contactPoints = new ArrayList<>(v);
    return this;
  }

  public String getLocalDatacenter() {
    return localDatacenter;
  }

  public CassandraStoreOptions setLocalDatacenter(String v) {
    this.localDatacenter = v;
    return this;
  }

  public String getKeyspace() {
    return keyspace;
  }

  public CassandraStoreOptions setKeyspace(String v) {
    this.keyspace = v;
    return this;
  }

  public String getConsistency() {
    return consistency;
  }

  public CassandraStoreOptions setConsistency(String v) {
    this.consistency = v;
    return this;
  }

  public String getSerialConsistency() {
    return serialConsistency;
  }

  public CassandraStoreOptions setSerialConsistency(String v) {
    this.serialConsistency = v;
    return this;
  }

  public int getRequestTimeout() {
    return requestTimeout;
  }

  public CassandraStoreOptions setRequestTimeout(int v) {
    this.requestTimeout = v;
    return this;
  }

  public int getMaxConcurrentRequests() {
    return maxConcurrentRequests;
  }

  public CassandraStoreOptions setMaxConcurrentRequests(int v) {
    this.maxConcurrentRequests = v;
    return this;
  }

  public int getMaxQueuedRequests() {
    return maxQueuedRequests;
  }

  public CassandraStoreOptions setMaxQueuedRequests(int v) {
    this.maxQueuedRequests = v;
    return this;
  }

  public int getTtl() {
    return ttl;
  }

  public CassandraStoreOptions setTtl(int v) {
    this.ttl = v;
    return this;
  }

  public boolean isCreateSchema() {
    return createSchema;
  }

  public CassandraStoreOptions setCreateSchema(boolean v) {
    this.createSchema = v;
    return this;
  }

  public int getReplicationFactor() {
    return replicationFactor;
  }

  public CassandraStoreOptions setReplicationFactor(int v) {
    this.replicationFactor = v;
    return this;
  }

  public String getUsername() {
    return username;
  }

  public CassandraStoreOptions setUsername(String v) {
    this.username = v;
    return this;
  }

  public String getPassword() {
    return password;
  }

  public CassandraStoreOptions setPassword(String v) {
    this.password = v;
    return this;
  }

  public String getTruststorePath() {
    return truststorePath;
  }

  public CassandraStoreOptions setTruststorePath(String v) {
    this.truststorePath = v;
    return this;
  }

  public String getTruststorePassword() {
    return truststorePassword;
  }

  public CassandraStoreOptions setTruststorePassword(String v) {
    this.truststorePassword = v;
    return this;
  }

  public String getKeystorePath() {
    return keystorePath;
  }

  public CassandraStoreOptions setKeystorePath(String v) {
    this.keystorePath = v;
    return this;
  }

  public String getKeystorePassword() {
    return keystorePassword;
  }

  public CassandraStoreOptions setKeystorePassword(String v) {
    this.keystorePassword = v;
    return this;
  }
}
