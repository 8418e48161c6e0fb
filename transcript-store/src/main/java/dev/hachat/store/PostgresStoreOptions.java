package dev.hachat.store;

import dev.hachat.common.config.DurationUnit;
import java.time.temporal.ChronoUnit;

/** Connection to the PostgreSQL contact-history database (UCS); see docs/ucs.md. */
public class PostgresStoreOptions {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 15432;
  public static final String DEFAULT_DATABASE = "postgres";
  public static final String DEFAULT_USER = "postgres";

  /** Default TLS mode: disable, prefer, require, verify-ca or verify-full (libpq's names). */
  public static final String DEFAULT_SSL_MODE = "disable";

  /** Default connections per instance. */
  public static final int DEFAULT_POOL_SIZE = 8;

  /** Default milliseconds to wait for a connection or a statement. */
  public static final int DEFAULT_REQUEST_TIMEOUT = 5000;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String database = DEFAULT_DATABASE;
  private String user = DEFAULT_USER;
  private String password = "";
  private String sslMode = DEFAULT_SSL_MODE;

  /**
   * Default {@code ssl-root-cert}: none. A PEM file of the certificate authority that signed the
   * server's certificate, for {@code verify-ca} and {@code verify-full} (libpq's sslrootcert);
   * empty uses the JVM's default trust store.
   */
  public static final String DEFAULT_SSL_ROOT_CERT = "";

  private String sslRootCert = DEFAULT_SSL_ROOT_CERT;

  public String getSslRootCert() {
    return sslRootCert;
  }

  public PostgresStoreOptions setSslRootCert(String path) {
    this.sslRootCert = path;
    return this;
  }

  private int poolSize = DEFAULT_POOL_SIZE;

  @DurationUnit(ChronoUnit.MILLIS)
  private int requestTimeout = DEFAULT_REQUEST_TIMEOUT;

  public String getHost() {
    return host;
  }

  public PostgresStoreOptions setHost(String host) {
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  public PostgresStoreOptions setPort(int port) {
    this.port = port;
    return this;
  }

  public String getDatabase() {
    return database;
  }

  public PostgresStoreOptions setDatabase(String database) {
    this.database = database;
    return this;
  }

  public String getUser() {
    return user;
  }

  public PostgresStoreOptions setUser(String user) {
    this.user = user;
    return this;
  }

  public String getPassword() {
    return password;
  }

  public PostgresStoreOptions setPassword(String password) {
    this.password = password;
    return this;
  }

  public String getSslMode() {
    return sslMode;
  }

  public PostgresStoreOptions setSslMode(String sslMode) {
    this.sslMode = sslMode;
    return this;
  }

  public int getPoolSize() {
    return poolSize;
  }

  public PostgresStoreOptions setPoolSize(int poolSize) {
    this.poolSize = poolSize;
    return this;
  }

  public int getRequestTimeout() {
    return requestTimeout;
  }

  public PostgresStoreOptions setRequestTimeout(int millis) {
    this.requestTimeout = millis;
    return this;
  }
}
