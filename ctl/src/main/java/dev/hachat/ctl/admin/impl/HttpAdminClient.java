package dev.hachat.ctl.admin.impl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hachat.ctl.CtlException;
import dev.hachat.ctl.Durations;
import dev.hachat.ctl.ExitCode;
import dev.hachat.ctl.admin.AdminClient;
import dev.hachat.ctl.admin.AdminClientOptions;
import dev.hachat.ctl.admin.Credentials;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * {@link AdminClient} on the JDK's {@link HttpClient} (HTTP/1.1; HTTPS with {@link PemTrust} when a
 * trust file is set). No event loop: a command waits on the futures.
 *
 * <p>Threading: any thread. The credential is resolved once, on the first call that needs it.
 */
public final class HttpAdminClient implements AdminClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http;
  private final String scheme;
  private final Duration timeout;
  private final AdminClientOptions options;
  private Credentials credentials;

  public HttpAdminClient(AdminClientOptions options) {
    this.options = options;
    this.timeout = options.getTimeout();
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER);
    if (options.getTlsTrustFile() != null) {
      b.sslContext(PemTrust.context(options.getTlsTrustFile()));
      scheme = "https";
    } else {
      scheme = "http";
    }
    this.http = b.build();
  }

  @Override
  public Duration timeout() {
    return timeout;
  }

  @Override
  public CompletableFuture<JsonNode> get(String address, String path) {
    return send("GET", address, path, false, timeout, false);
  }

  @Override
  public CompletableFuture<JsonNode> health(String address) {
    return send("GET", address, "/health", false, timeout, true);
  }

  @Override
  public CompletableFuture<JsonNode> getAsOperator(String address, String path) {
    return send("GET", address, path, true, timeout, false);
  }

  @Override
  public CompletableFuture<JsonNode> post(String address, String path, Duration wait) {
    return send("POST", address, path, true, wait, false);
  }

  private CompletableFuture<JsonNode> send(
      String method,
      String address,
      String path,
      boolean operator,
      Duration wait,
      boolean is503Ok) {
    String what = method + " " + address + path;
    HttpRequest.Builder b;
    Credentials c = operator ? credentials() : Credentials.none();
    try {
      b = HttpRequest.newBuilder(URI.create(scheme + "://" + address + path)).timeout(wait);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(
          new CtlException(ExitCode.USAGE, "not a host:port address: " + address));
    }
    b.method(method, HttpRequest.BodyPublishers.noBody()).header("Accept", "application/json");
    c.header().ifPresent(h -> b.header("Authorization", h));
    return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
        // a last bound for the body too (HttpRequest.timeout covers the headers)
        .orTimeout(wait.toMillis() + 1000, TimeUnit.MILLISECONDS)
        .handle(
            (r, e) -> {
              if (e != null) {
                throw transport(what, unwrap(e), wait);
              }
              return answer(what, r, c, is503Ok);
            });
  }

  private synchronized Credentials credentials() {
    if (credentials == null) {
      credentials = options.getCredentials().get();
    }
    return credentials;
  }

  private static JsonNode answer(
      String what, HttpResponse<String> r, Credentials c, boolean is503Ok) {
    int status = r.statusCode();
    JsonNode body = parse(r.body());
    if (status == 200 || (is503Ok && status == 503)) {
      if (body == null) {
        throw new CtlException(
            ExitCode.FAILED, what + " answered " + status + " without JSON (is it an admin port?)");
      }
      return body;
    }
    String error = describe(status, body, r.body());
    ExitCode kind =
        switch (status) {
          case 401, 403, 429 -> ExitCode.AUTH;
          case 400 -> ExitCode.USAGE;
          default -> ExitCode.FAILED;
        };
    String hint = "";
    if (status == 401) {
      hint =
          c.present()
              ? " (" + c.description() + " was refused: wrong password or token?)"
              : " (give --user with --password-file, or --token-file)";
    } else if (status == 403) {
      hint = " (" + c.description() + " is not an operator)";
    }
    throw new CtlException(kind, what + " answered " + error + hint);
  }

  /** {@code 404 CHAT_NOT_FOUND: no final transcript …} from the documented error body. */
  private static String describe(int status, JsonNode body, String raw) {
    JsonNode err = body == null ? null : body.get("error");
    if (err != null && err.isObject()) {
      return status + " " + err.path("code").asText("?") + ": " + err.path("message").asText("");
    }
    String text = raw == null ? "" : raw.strip();
    return status + (text.isEmpty() ? "" : ": " + text.substring(0, Math.min(200, text.length())));
  }

  private static JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static Throwable unwrap(Throwable e) {
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** A failure before any answer, as the operator should read it. */
  private static CtlException transport(String what, Throwable e, Duration wait) {
    if (e instanceof CtlException ce) {
      return ce;
    }
    String why;
    if (e instanceof HttpConnectTimeoutException) {
      why = "could not connect within " + Durations.format(wait);
    } else if (e instanceof HttpTimeoutException || e instanceof TimeoutException) {
      why = "no answer within " + Durations.format(wait);
    } else if (e instanceof ConnectException) {
      why = "connection refused" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
    } else if (e instanceof SSLException) {
      why = "TLS failed: " + e.getMessage() + " (check --tls-trust-file and the address)";
    } else if (e instanceof IOException) {
      why =
          "connection failed: "
              + e.getMessage()
              + " (plain HTTP to a TLS port? then give --tls-trust-file)";
    } else {
      why = String.valueOf(e);
    }
    return new CtlException(ExitCode.UNREACHABLE, what + ": " + why);
  }
}
