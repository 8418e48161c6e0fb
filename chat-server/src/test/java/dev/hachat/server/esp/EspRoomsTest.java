package dev.hachat.server.esp;

import static dev.hachat.server.testing.ChatFailures.assertFailsWith;
import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.error.ErrorCode;
import dev.hachat.esp.client.EspClient;
import dev.hachat.esp.client.EspClientOptions;
import dev.hachat.server.ChatServer;
import dev.hachat.server.testing.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The room operations on a whole in-process instance's ESP port (memory stores, open mode). */
class EspRoomsTest {
  private final TestNodes nodes = TestNodes.inMemory();

  @AfterEach
  void close() throws Exception {
    nodes.close();
  }

  private EspClient agent(ChatServer s, String id) throws Exception {
    return await(nodes.espAgent(s, id));
  }

  @Test
  void members_create_join_post_page_history_and_hear_each_other() throws Exception {
    ChatServer s = await(nodes.startServer("cs1", Map.of("hachat.rooms.history-page-size", "2")));
    EspClient alice = agent(s, "alice");
    EspClient bob = agent(s, "bob");
    List<JsonObject> heard = new CopyOnWriteArrayList<>();
    bob.onRoomEvent(heard::add);

    JsonObject room =
        await(
                alice.request(
                    "roomCreate", new JsonObject().put("name", "ops").put("topic", "on call")))
            .getJsonObject("room");
    String id = room.getString("roomId");
    assertThat(room.getString("createdBy")).isEqualTo("alice");
    assertFailsWith(
        ErrorCode.FORBIDDEN, bob.request("roomEnter", new JsonObject().put("roomId", id)));
    await(bob.request("roomJoin", new JsonObject().put("roomId", id)));
    JsonObject entered = await(bob.request("roomEnter", new JsonObject().put("roomId", id)));
    assertThat(entered.getJsonArray("present")).containsExactly("bob");
    for (int i = 1; i <= 3; i++) {
      JsonObject e =
          await(
                  alice.request(
                      "roomPost",
                      new JsonObject()
                          .put("roomId", id)
                          .put("clientMessageId", "m" + i)
                          .put("text", "hello " + i)))
              .getJsonObject("entry");
      assertThat(e.getLong("index")).isEqualTo(i + 1L); // 1 is bob's join
    }
    JsonObject again =
        await(
            alice.request(
                "roomPost",
                new JsonObject()
                    .put("roomId", id)
                    .put("clientMessageId", "m1")
                    .put("text", "hello 1")));
    assertThat(again.getJsonObject("entry").getLong("index")).isEqualTo(2);

    JsonObject back =
        await(bob.request("roomHistory", new JsonObject().put("roomId", id).put("before", 5)));
    assertThat(indexes(back.getJsonArray("entries"))).containsExactly(4L, 3L);
    assertThat(back.getBoolean("more")).isTrue();
    JsonObject fwd =
        await(bob.request("roomHistory", new JsonObject().put("roomId", id).put("after", 2)));
    assertThat(indexes(fwd.getJsonArray("entries"))).containsExactly(3L, 4L);
    JsonObject page =
        await(bob.request("roomEnter", new JsonObject().put("roomId", id).put("after", 0)));
    assertThat(page.getBoolean("more")).isTrue();
    assertThat(page.getLong("nextPosition")).isEqualTo(3);

    org.awaitility.Awaitility.await()
        .until(
            () ->
                heard.stream().filter(f -> "roomEntry".equals(f.getString("event"))).count() == 3);
    JsonObject listed = await(bob.request("roomList", null));
    assertThat(listed.getJsonArray("member")).contains(id);
    assertThat(
            await(
                    nodes
                        .vertx()
                        .createHttpClient()
                        .request(
                            io.vertx.core.http.HttpMethod.GET, s.adminPort(), "127.0.0.1", "/kpi")
                        .compose(r -> r.send().compose(x -> x.body())))
                .toJsonObject()
                .getJsonObject("kpi")
                .getLong("room_messages"))
        .isEqualTo(3);
  }

  @Test
  void bad_room_requests_get_stable_codes() throws Exception {
    ChatServer s = await(nodes.startServer("cs1", Map.of()));
    EspClient anon =
        await(
            EspClient.connect(
                nodes.vertx(), new EspClientOptions().setHost("127.0.0.1").setPort(s.espPort())));
    assertFailsWith(
        ErrorCode.UNAUTHORIZED, anon.request("roomCreate", new JsonObject().put("name", "x")));
    EspClient a = agent(s, "alice");
    assertFailsWith(ErrorCode.BAD_REQUEST, a.request("roomCreate", new JsonObject()));
    assertFailsWith(
        ErrorCode.BAD_REQUEST,
        a.request("roomCreate", new JsonObject().put("name", "x").put("memberLimit", 0)));
    assertFailsWith(
        ErrorCode.BAD_REQUEST,
        a.request("roomCreate", new JsonObject().put("name", "x").put("inviteOnly", "yes")));
    assertFailsWith(
        ErrorCode.BAD_REQUEST, a.request("roomCreate", new JsonObject().put("name", "a\u0000b")));
    assertFailsWith(
        ErrorCode.ROOM_NOT_FOUND, a.request("roomEnter", new JsonObject().put("roomId", "nope")));
    assertFailsWith(ErrorCode.NOT_FOUND, a.request("roomFrobnicate", new JsonObject()));
    String id =
        await(a.request("roomCreate", new JsonObject().put("name", "x")))
            .getJsonObject("room")
            .getString("roomId");
    assertFailsWith(
        ErrorCode.BAD_REQUEST,
        a.request("roomPost", new JsonObject().put("roomId", id).put("text", "no id")));
    assertFailsWith(
        ErrorCode.BAD_REQUEST,
        a.request(
            "roomPost",
            new JsonObject()
                .put("roomId", id)
                .put("clientMessageId", "x".repeat(129))
                .put("text", "t")));
    assertFailsWith(
        ErrorCode.BAD_REQUEST,
        a.request("roomHistory", new JsonObject().put("roomId", id).put("before", 0)));
    assertFailsWith(
        ErrorCode.BAD_REQUEST,
        a.request(
            "roomInvite",
            new JsonObject().put("roomId", id).put("memberId", "b").put("role", "king")));
    assertFailsWith(
        ErrorCode.FORBIDDEN,
        a.request(
            "roomInvite",
            new JsonObject().put("roomId", id).put("memberId", "b").put("role", "owner")));
    // Text PostgreSQL cannot keep never reaches the room's write (it would fail the whole batch).
    assertFailsWith(
        ErrorCode.BAD_REQUEST,
        a.request(
            "roomPost",
            new JsonObject().put("roomId", id).put("clientMessageId", "c\u0000").put("text", "t")));
    assertFailsWith(
        ErrorCode.BAD_REQUEST,
        a.request("roomInvite", new JsonObject().put("roomId", id).put("memberId", "b\u0000")));
    JsonObject ok =
        await(
            a.request(
                "roomPost",
                new JsonObject().put("roomId", id).put("clientMessageId", "c1").put("text", "t")));
    assertThat(ok.getJsonObject("entry").getLong("index")).as("the room goes on").isPositive();
  }

  @Test
  void the_terminal_agent_creates_a_room_and_posts_to_it() throws Exception {
    ChatServer s = await(nodes.startServer("cs1", Map.of()));
    java.io.PipedOutputStream typed = new java.io.PipedOutputStream();
    java.io.BufferedReader in =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                new java.io.PipedInputStream(typed), java.nio.charset.StandardCharsets.UTF_8));
    java.io.PrintWriter keyboard =
        new java.io.PrintWriter(typed, true, java.nio.charset.StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream screen = new java.io.ByteArrayOutputStream();
    dev.hachat.esp.cli.TerminalAgent terminal =
        new dev.hachat.esp.cli.TerminalAgent(
            agent(s, "alice"),
            new java.io.PrintStream(screen, true, java.nio.charset.StandardCharsets.UTF_8));
    java.util.concurrent.CompletableFuture<Void> running =
        java.util.concurrent.CompletableFuture.runAsync(
            () -> {
              try {
                terminal.run(in);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    java.util.function.Supplier<String> shown =
        () -> screen.toString(java.nio.charset.StandardCharsets.UTF_8);
    keyboard.println("/room-create ops | on call");
    org.awaitility.Awaitility.await().until(() -> shown.get().contains("in room "));
    String id = shown.get().split("created ")[1].split(" ")[0];
    keyboard.println("/room-invite bob");
    org.awaitility.Awaitility.await().until(() -> shown.get().contains("bob is a member of ops"));
    EspClient bob = agent(s, "bob");
    await(bob.request("roomEnter", new JsonObject().put("roomId", id)));
    keyboard.println("hello room");
    org.awaitility.Awaitility.await()
        .until(() -> shown.get().contains("[room ops #2] ALICE: hello room"));
    await(
        bob.request(
            "roomPost",
            new JsonObject()
                .put("roomId", id)
                .put("clientMessageId", "b1")
                .put("text", "hi alice")));
    org.awaitility.Awaitility.await().until(() -> shown.get().contains("BOB: hi alice"));
    keyboard.println("/room-history");
    keyboard.println("/rooms");
    org.awaitility.Awaitility.await().until(() -> shown.get().contains("member of: " + id));
    keyboard.println("/quit");
    running.get(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  private static List<Long> indexes(JsonArray entries) {
    return entries.stream().map(o -> ((JsonObject) o).getLong("index")).toList();
  }
}
