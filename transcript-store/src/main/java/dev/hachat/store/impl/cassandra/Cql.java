package dev.hachat.store.impl.cassandra;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.RequestThrottlingException;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.QueryConsistencyException;
import com.datastax.oss.driver.api.core.servererrors.ServerError;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import dev.hachat.store.StoreException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** Driver futures as Vert.x futures on the caller's context, with failures typed. */
final class Cql {
  private Cql() {}

  static <T> Future<T> future(Vertx vertx, CompletionStage<T> stage, Consumer<Boolean> status) {
    Context ctx = vertx.getOrCreateContext();
    Promise<T> p = Promise.promise();
    stage.whenComplete(
        (v, e) ->
            ctx.runOnContext(
                x -> {
                  if (e == null) {
                    status.accept(true);
                    p.complete(v);
                  } else {
                    Throwable cause =
                        e instanceof CompletionException ce && ce.getCause() != null
                            ? ce.getCause()
                            : e;
                    if (retryable(cause)) {
                      status.accept(false);
                      p.fail(StoreException.unavailable("Cassandra: " + cause.getMessage(), cause));
                    } else {
                      p.fail(cause);
                    }
                  }
                }));
    return p.future();
  }

  static boolean retryable(Throwable t) {
    return t instanceof DriverTimeoutException
        || t instanceof RequestThrottlingException
        || t instanceof NoNodeAvailableException
        || t instanceof AllNodesFailedException
        || t instanceof ClosedConnectionException
        || t instanceof UnavailableException
        || t instanceof QueryConsistencyException
        || t instanceof OverloadedException
        || t instanceof ServerError;
  }
}
