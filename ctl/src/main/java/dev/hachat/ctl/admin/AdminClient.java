package dev.hachat.ctl.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hachat.ctl.admin.impl.HttpAdminClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Calls the admin ports of instances (docs/operations.md) and the web API servers' {@code GET
 * /instances}. Every method answers the JSON body of a successful answer, or fails with a {@link
 * dev.hachat.ctl.CtlException} whose kind says what went wrong: {@code UNREACHABLE} (refused, timed
 * out, TLS), {@code AUTH} (401, 403, 429), {@code USAGE} (400), {@code FAILED} (any other error
 * answer, or a body that is not JSON). Addresses are {@code host:port}.
 *
 * <p>Threading: any thread; the futures complete on the HTTP client's threads.
 */
public interface AdminClient {
  static AdminClient create(AdminClientOptions options) {
    return new HttpAdminClient(options);
  }

  /** GET of an open endpoint ({@code /cluster}, {@code /admin/drain}, {@code /kpi}). */
  CompletableFuture<JsonNode> get(String address, String path);

  /** {@code GET /health}: the body of a 200, or of a 503 (the instance starts or stops). */
  CompletableFuture<JsonNode> health(String address);

  /**
   * GET with the operator credential ({@code /history/…}, a web API server's {@code /instances}).
   */
  CompletableFuture<JsonNode> getAsOperator(String address, String path);

  /** POST with the operator credential, waiting up to {@code timeout} for the answer. */
  CompletableFuture<JsonNode> post(String address, String path, Duration timeout);

  /** The per-request timeout of the other calls. */
  Duration timeout();
}
