package dev.hachat.interaction;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.interaction.config.InteractionOptions;
import dev.hachat.store.StoreOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An interaction server on a Vert.x of its own, as its main runs it, stops within its hook. */
class InteractionServerStopTest {
  @Test
  void stop_completes_when_the_server_owns_its_vertx() throws Exception {
    InteractionOptions o = new InteractionOptions().setId("ixn-stop");
    o.getHttp().setPort(0);
    o.getStore().setType(StoreOptions.Type.MEMORY); // an empty registry is enough here
    InteractionServer s = await(InteractionServer.start(o));

    assertThat(s.stop().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS))
        .isNull();
  }
}
