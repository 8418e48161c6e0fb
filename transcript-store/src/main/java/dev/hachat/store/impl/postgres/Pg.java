package dev.hachat.store.impl.postgres;

import dev.hachat.store.PostgresStoreOptions;
import dev.hachat.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The PostgreSQL pool, versioned schema migrations, and typed failures. */
public final class Pg {
  private static final Logger LOG = LoggerFactory.getLogger(Pg.class);

  /** The migrations, applied in this order, each once (recorded in hachat_schema_version). */
  static final List<String> MIGRATIONS =
      List.of(
          "V1__contact_history.sql",
          "V2__intermediate_sessions.sql",
          "V3__open_sessions_by_owner.sql",
          "V4__closed_sessions_by_bucket.sql",
          "V5__leases.sql",
          "V6__chat_statistics.sql",
          "V7__entry_visibility.sql",
          "V8__rooms.sql");

  private static final long MIGRATION_LOCK = 0x6861636861L; // "hacha"

  private Pg() {}

  /** A pool to the database; nothing is sent until the first query. */
  public static Pool pool(Vertx vertx, PostgresStoreOptions o) {
    return pool(vertx, o, o.getPoolSize());
  }

  private static Pool pool(Vertx vertx, PostgresStoreOptions o, int size) {
    PgConnectOptions connect = connectOptions(o);
    PoolOptions pool =
        new PoolOptions()
            .setMaxSize(size)
            .setConnectionTimeout(o.getRequestTimeout())
            .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }

  /** Connections of the membership pool: one heartbeat and one lease renewal at a time. */
  static final int MEMBERSHIP_POOL_SIZE = 2;

  /**
   * The pool of heartbeats and leases, apart from the chats' pool ({@code pool-size}): under a
   * flood of chat writes (every chat connection busy, hundreds waiting) a renewal would otherwise
   * wait behind them until the lease lapsed and the instance fenced itself (as it did on Cassandra,
   * docs/cassandra.md#load).
   */
  public static Pool membershipPool(Vertx vertx, PostgresStoreOptions o) {
    return pool(vertx, o, MEMBERSHIP_POOL_SIZE);
  }

  /**
   * The connection options of {@code o}: {@code ssl-mode} as libpq means it ({@code verify-full}
   * also checks that the certificate names the host), {@code ssl-root-cert} as the trusted CA, and
   * {@code statement_timeout} = {@code request-timeout}.
   */
  static PgConnectOptions connectOptions(PostgresStoreOptions o) {
    PgConnectOptions connect =
        new PgConnectOptions()
            .setHost(o.getHost())
            .setPort(o.getPort())
            .setDatabase(o.getDatabase())
            .setUser(o.getUser())
            .setPassword(o.getPassword())
            .setSslMode(SslMode.of(o.getSslMode()))
            .setReconnectAttempts(0)
            // The server ends any statement that runs longer (SQLSTATE 57014, retried as
            // UNAVAILABLE), so a stuck query never holds a pooled connection.
            .addProperty("statement_timeout", String.valueOf(o.getRequestTimeout()));
    if (!o.getSslRootCert().isEmpty() || "verify-full".equals(o.getSslMode())) {
      io.vertx.core.net.ClientSSLOptions ssl = new io.vertx.core.net.ClientSSLOptions();
      if (!o.getSslRootCert().isEmpty()) {
        ssl.setTrustOptions(new PemTrustOptions().addCertPath(o.getSslRootCert()));
      }
      if ("verify-full".equals(o.getSslMode())) {
        ssl.setHostnameVerificationAlgorithm("HTTPS");
      }
      connect.setSslOptions(ssl);
    }
    return connect;
  }

  /** Applies every migration not applied yet, in one transaction under an advisory lock. */
  public static Future<Void> migrate(Pool pool) {
    return pool.withTransaction(
        c ->
            c.query("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")")
                .execute()
                .compose(
                    r ->
                        c.query(
                                "CREATE TABLE IF NOT EXISTS hachat_schema_version (version text"
                                    + " PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT"
                                    + " now())")
                            .execute())
                .compose(r -> c.query("SELECT version FROM hachat_schema_version").execute())
                .compose(
                    rows -> {
                      java.util.Set<String> done = new java.util.HashSet<>();
                      rows.forEach(row -> done.add(row.getString(0)));
                      Future<Void> chain = Future.succeededFuture();
                      for (String m : MIGRATIONS) {
                        if (done.contains(m)) {
                          continue;
                        }
                        chain =
                            chain
                                .compose(v -> c.query(script(m)).execute())
                                .compose(
                                    v ->
                                        c.preparedQuery(
                                                "INSERT INTO hachat_schema_version (version)"
                                                    + " VALUES ($1)")
                                            .execute(io.vertx.sqlclient.Tuple.of(m)))
                                .onSuccess(
                                    v -> LOG.info("PostgreSQL schema migration {} applied", m))
                                .mapEmpty();
                      }
                      return chain;
                    }));
  }

  /**
   * Runs {@code op} in a transaction holding the lock of the row {@code selectForUpdate} (a {@code
   * SELECT … FOR UPDATE} with {@code $1} = {@code id}) finds; fails with {@code notFound} when it
   * finds none. A {@link StoreException} {@code op} throws becomes the failure. Untyped: callers
   * pass the outcome through {@link #typed}.
   */
  static <T> Future<T> locked(
      Pool pool,
      String selectForUpdate,
      String id,
      java.util.function.Supplier<StoreException> notFound,
      java.util.function.BiFunction<
              io.vertx.sqlclient.SqlConnection, io.vertx.sqlclient.Row, Future<T>>
          op) {
    return pool.withTransaction(
        c ->
            c.preparedQuery(selectForUpdate)
                .execute(io.vertx.sqlclient.Tuple.of(id))
                .compose(
                    rows -> {
                      if (rows.rowCount() == 0) {
                        return Future.failedFuture(notFound.get());
                      }
                      try {
                        return op.apply(c, rows.iterator().next());
                      } catch (StoreException e) {
                        return Future.failedFuture(e);
                      }
                    }));
  }

  /** Every row mapped by {@code f}, in order. */
  static <T> List<T> each(
      Iterable<io.vertx.sqlclient.Row> rows,
      java.util.function.Function<io.vertx.sqlclient.Row, T> f) {
    List<T> out = new java.util.ArrayList<>();
    rows.forEach(r -> out.add(f.apply(r)));
    return out;
  }

  /**
   * The schema of a pool, migrated on first use and again on every use until that worked, so a
   * process can start while PostgreSQL is unreachable. Thread-safe.
   */
  static final class SchemaOnUse {
    private final Pool pool;
    private Future<Void> migrated;

    /** {@code done}: the schema is migrated already. */
    SchemaOnUse(Pool pool, boolean done) {
      this.pool = pool;
      this.migrated = done ? Future.succeededFuture() : null;
    }

    /** Starts the first migration now, warning once if it fails ({@code what}: for the log). */
    SchemaOnUse start(String what) {
      ready().onFailure(e -> LOG.warn("{} not reachable yet, will retry: {}", what, e.toString()));
      return this;
    }

    synchronized Future<Void> ready() {
      if (migrated == null || migrated.failed()) {
        migrated = migrate(pool);
      }
      return migrated;
    }
  }

  /** SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation). */
  static boolean isDataRefusal(String sqlState) {
    return sqlState != null && (sqlState.startsWith("22") || sqlState.startsWith("23"));
  }

  private static String script(String name) {
    try (InputStream in = Pg.class.getResourceAsStream("/postgres/" + name)) {
      if (in == null) {
        throw new IllegalStateException("migration " + name + " missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Types a failure: our own {@link StoreException}s pass; PostgreSQL's refusal of the data itself
   * (SQLSTATE class 22 data exception, 23 integrity violation) is {@link
   * dev.hachat.store.StoreErrorKind#REJECTED}, which no retry can cure; anything else (refused,
   * reset, timed out, statement timeout, server shutting down) is {@link
   * dev.hachat.store.StoreErrorKind#UNAVAILABLE}.
   */
  static <T> Future<T> typed(Future<T> f, Consumer<Boolean> status) {
    return f.transform(
        ar -> {
          if (ar.succeeded()) {
            status.accept(true);
            return Future.succeededFuture(ar.result());
          }
          if (ar.cause() instanceof StoreException) {
            status.accept(true);
            return Future.failedFuture(ar.cause());
          }
          if (ar.cause() instanceof PgException pg && isDataRefusal(pg.getSqlState())) {
            status.accept(true); // the server answered: it is reachable
            return Future.failedFuture(
                StoreException.rejected(
                    "PostgreSQL refused the data (SQLSTATE " + pg.getSqlState() + ")", pg));
          }
          status.accept(false);
          return Future.failedFuture(
              StoreException.unavailable("PostgreSQL: " + ar.cause().getMessage(), ar.cause()));
        });
  }
}
