package dev.hachat.store.impl.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.hachat.store.CassandraStoreOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Applies cassandra/schema/hachat.cql: the keyspace (SimpleStrategy with a replication factor, for
 * local and test clusters) and the tables. Idempotent. Also a command: {@code SchemaTool
 * <contact-points> <dc> <keyspace> <replication-factor>}.
 */
public final class SchemaTool {
  private SchemaTool() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println(
          "usage: SchemaTool <host:port,…> <datacenter> <keyspace> <replication-factor>");
      System.exit(2);
    }
    CassandraStoreOptions o =
        new CassandraStoreOptions()
            .setContactPoints(List.of(args[0].split(",")))
            .setLocalDatacenter(args[1])
            .setKeyspace(args[2])
            .setRequestTimeout(10_000);
    try (CqlSession s = CqlSessions.connect(o, false).toCompletableFuture().get()) {
      apply(s, args[2], Integer.parseInt(args[3])).toCompletableFuture().get();
    }
    System.out.println("schema applied to keyspace " + args[2]);
  }

  /** Creates the keyspace if missing, then every table of hachat.cql. */
  static CompletionStage<Void> apply(CqlSession s, String keyspace, int replicationFactor) {
    if (!keyspace.matches("[a-z][a-z0-9_]{0,47}")) {
      throw new IllegalArgumentException("bad keyspace name: " + keyspace);
    }
    CompletionStage<?> chain =
        s.executeAsync(
            ddl(
                "CREATE KEYSPACE IF NOT EXISTS "
                    + keyspace
                    + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': "
                    + replicationFactor
                    + "}"));
    for (String statement : statements(keyspace)) {
      chain = chain.thenCompose(r -> executeDdl(s, statement, DDL_ATTEMPTS));
    }
    return chain.thenCompose(r -> awaitAgreement(s, System.nanoTime() + AGREEMENT_WAIT.toNanos()));
  }

  /** How long {@link #apply} waits for every node that is up to have the new schema. */
  static final java.time.Duration AGREEMENT_WAIT = java.time.Duration.ofSeconds(90);

  /**
   * Completes once every node that is up agrees on the schema (checked again 1 s apart), or fails
   * after {@link #AGREEMENT_WAIT}. A statement prepared before that can reach a node without the
   * new tables: ThreeNodeIT once failed at start with "table leases does not exist" after two
   * schema agreement timeouts (3 nodes on 2 busy cores).
   */
  private static CompletionStage<Void> awaitAgreement(CqlSession s, long deadline) {
    return s.checkSchemaAgreementAsync()
        .thenCompose(
            agreed -> {
              if (agreed) {
                return java.util.concurrent.CompletableFuture.<Void>completedFuture(null);
              }
              if (System.nanoTime() - deadline > 0) {
                return java.util.concurrent.CompletableFuture.<Void>failedFuture(
                    new IllegalStateException(
                        "the Cassandra nodes did not agree on the schema within "
                            + AGREEMENT_WAIT.toSeconds()
                            + " s"));
              }
              return java.util.concurrent.CompletableFuture.supplyAsync(
                      () -> null,
                      java.util.concurrent.CompletableFuture.delayedExecutor(
                          1, java.util.concurrent.TimeUnit.SECONDS))
                  .thenCompose(x -> awaitAgreement(s, deadline));
            });
  }

  private static final int DDL_ATTEMPTS = 10;

  /**
   * Runs one DDL statement; retried (1 s apart) while the coordinator does not know the keyspace
   * yet: on a cluster whose nodes are still joining, schema agreement can time out and the next
   * statement reach a node the new keyspace has not reached (seen once in the chaos smoke).
   */
  private static CompletionStage<?> executeDdl(CqlSession s, String cql, int attemptsLeft) {
    return s.executeAsync(ddl(cql))
        .handle(
            (r, e) -> {
              if (e == null) {
                return java.util.concurrent.CompletableFuture.<Object>completedFuture(r);
              }
              Throwable cause =
                  e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                      ? e.getCause()
                      : e;
              boolean keyspaceNotThereYet =
                  cause
                          instanceof
                          com.datastax.oss.driver.api.core.servererrors.InvalidQueryException
                      && String.valueOf(cause.getMessage()).contains("doesn't exist");
              boolean columnThereAlready =
                  cql.startsWith("ALTER TABLE")
                      && cause
                          instanceof
                          com.datastax.oss.driver.api.core.servererrors.InvalidQueryException
                      && String.valueOf(cause.getMessage()).contains("already exist");
              if (columnThereAlready) {
                return java.util.concurrent.CompletableFuture.<Object>completedFuture(null);
              }
              if (!keyspaceNotThereYet || attemptsLeft <= 1) {
                return java.util.concurrent.CompletableFuture.<Object>failedFuture(cause);
              }
              return java.util.concurrent.CompletableFuture.supplyAsync(
                      () -> null,
                      java.util.concurrent.CompletableFuture.delayedExecutor(
                          1, java.util.concurrent.TimeUnit.SECONDS))
                  .thenCompose(x -> executeDdl(s, cql, attemptsLeft - 1))
                  .thenApply(x -> (Object) x);
            })
        .thenCompose(f -> f);
  }

  /** Schema changes wait for every node to agree, which takes longer than a request. */
  private static com.datastax.oss.driver.api.core.cql.SimpleStatement ddl(String cql) {
    return com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance(cql)
        .setTimeout(java.time.Duration.ofSeconds(30));
  }

  static List<String> statements(String keyspace) {
    String text;
    try (InputStream in = SchemaTool.class.getResourceAsStream("/cassandra/hachat.cql")) {
      if (in == null) {
        throw new IllegalStateException("cassandra/hachat.cql missing from the classpath");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n")) {
      if (line.strip().startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (line.strip().endsWith(";")) {
        String st = current.toString().strip();
        out.add(st.substring(0, st.length() - 1).replace("@KEYSPACE@", keyspace));
        current.setLength(0);
      }
    }
    return out;
  }
}
