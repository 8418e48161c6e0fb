package dev.hachat.server.testing;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import io.vertx.core.Future;
import org.assertj.core.api.Assertions;

/** Assertions on the typed failures ({@link ChatException}) of the engine's Futures. */
public final class ChatFailures {
  private ChatFailures() {}

  /** Asserts that {@code f} fails with {@code code}. */
  public static void assertFailsWith(ErrorCode code, Future<?> f) {
    assertThat(failure(f).code()).isEqualTo(code);
  }

  /** The typed failure of {@code f}; asserts that it fails with one. */
  public static ChatException failure(Future<?> f) {
    Throwable t = Assertions.catchThrowable(() -> await(f));
    assertThat(t).isInstanceOf(ChatException.class);
    return (ChatException) t;
  }
}
