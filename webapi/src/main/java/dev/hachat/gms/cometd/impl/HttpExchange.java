package dev.hachat.gms.cometd.impl;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.cometd.bayeux.Promise;
import org.cometd.server.CometDRequest;
import org.cometd.server.CometDResponse;
import org.cometd.server.HttpException;

/**
 * One long-polling HTTP exchange as CometD's transports see it: the request (its body already read
 * in full, at most {@code maxMessageSize} bytes) and the response, whose bytes are gathered and
 * sent with one {@code end()} when CometD writes the last of them.
 *
 * <p>Threading: CometD calls in from the event loop of the request (while it is handled) and from
 * its own scheduler threads (a held {@code /meta/connect} that resumes); every touch of the Vert.x
 * response hops onto the request's context first, so the response is confined to it.
 */
final class HttpExchange implements CometDRequest, CometDResponse {

  private final Context context;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final Buffer body;
  private final Map<String, Object> attributes = new ConcurrentHashMap<>();
  private final List<Consumer<Throwable>> failureHandlers = new CopyOnWriteArrayList<>();
  private final Output output = this::write;
  private Buffer pending = Buffer.buffer(); // on context
  private boolean bodyRead;

  HttpExchange(Context context, HttpServerRequest request, Buffer body) {
    this.context = context;
    this.request = request;
    this.response = request.response();
    this.body = body;
    response.closeHandler(v -> fail(new EOFException("client closed the connection")));
  }

  // ---- CometDRequest

  @Override
  public String getMethod() {
    return request.method().name();
  }

  @Override
  public String getProtocol() {
    return request.version() == HttpVersion.HTTP_2 ? "HTTP/2.0" : "HTTP/1.1";
  }

  @Override
  public List<String> getParameterValues(String name) {
    return request.params().getAll(name);
  }

  @Override
  public String getCharacterEncoding() {
    String type = request.getHeader("Content-Type");
    if (type == null) {
      return null;
    }
    for (String part : type.split(";")) {
      String p = part.trim();
      if (p.regionMatches(true, 0, "charset=", 0, 8)) {
        return p.substring(8).replace("\"", "").trim();
      }
    }
    return null;
  }

  @Override
  public String getCookie(String name) {
    Cookie cookie = request.getCookie(name);
    return cookie == null ? null : cookie.getValue();
  }

  @Override
  public Input getInput() {
    return new Input() {
      @Override
      public void demand(Runnable demandCallback) {
        demandCallback.run(); // the whole body is here already
      }

      @Override
      public Chunk read() {
        if (bodyRead) {
          return Chunk.EOF;
        }
        bodyRead = true;
        ByteBuffer bytes = ByteBuffer.wrap(body.getBytes());
        return new Chunk() {
          @Override
          public ByteBuffer byteBuffer() {
            return bytes;
          }

          @Override
          public boolean isLast() {
            return false;
          }

          @Override
          public void release() {}
        };
      }
    };
  }

  @Override
  public Object getAttribute(String name) {
    return attributes.get(name);
  }

  @Override
  public void setAttribute(String name, Object value) {
    if (value == null) {
      attributes.remove(name);
    } else {
      attributes.put(name, value);
    }
  }

  @Override
  public void addFailureHandler(Consumer<Throwable> handler) {
    failureHandlers.add(handler);
  }

  // ---- CometDResponse

  @Override
  public void addHeader(String name, String value) {
    onContext(() -> response.headers().add(name, value));
  }

  @Override
  public void setContentType(String contentType) {
    onContext(() -> response.putHeader("Content-Type", contentType));
  }

  @Override
  public Output getOutput() {
    return output;
  }

  private void write(boolean last, byte[] bytes, Promise<Void> promise) {
    onContext(
        () -> {
          if (response.ended() || response.closed()) {
            promise.fail(new EOFException("response already closed"));
            return;
          }
          pending.appendBytes(bytes);
          if (!last) {
            promise.succeed(null);
            return;
          }
          Buffer all = pending;
          pending = Buffer.buffer();
          Contexts.complete(response.end(all), promise);
        });
  }

  /** CometD finished the exchange: end the response if its writer did not. */
  void complete() {
    onContext(
        () -> {
          if (!response.ended() && !response.closed()) {
            response.end(pending);
          }
        });
  }

  /** CometD failed the exchange: answer with the status it chose (500 when it chose none). */
  void completeWithError(Throwable failure) {
    int code = failure instanceof HttpException http ? http.getCode() : 500;
    onContext(
        () -> {
          if (response.ended() || response.closed()) {
            return;
          }
          if (response.headWritten()) {
            request.connection().close();
          } else {
            response.headers().clear();
            response.setStatusCode(code).end();
          }
        });
  }

  private void fail(Throwable failure) {
    for (Consumer<Throwable> handler : failureHandlers) {
      handler.accept(failure);
    }
  }

  private void onContext(Runnable task) {
    Contexts.run(context, task);
  }
}
