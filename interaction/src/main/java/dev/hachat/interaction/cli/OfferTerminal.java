package dev.hachat.interaction.cli;

import static dev.hachat.esp.cli.AgentConsole.await;
import static dev.hachat.esp.cli.AgentConsole.format;
import static dev.hachat.interaction.agents.AgentFrames.*;

import dev.hachat.common.error.ChatException;
import dev.hachat.esp.cli.AgentConsole;
import dev.hachat.interaction.client.AgentSession;
import dev.hachat.store.EntryJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads the agent's commands line by line and prints offers, state changes and the entries of the
 * chats it works on as they arrive. One chat is the current one: lines that are not commands are
 * sent there.
 *
 * <p>Commands: {@code /accept [offerId]} and {@code /reject [offerId]} (default: the offer out),
 * {@code /ready}, {@code /notready [reason]}, {@code /chat [chatId]} (list, or switch the current
 * chat), {@code /status}, {@code /leave}, {@code /close [disposition]}, {@code /quit}.
 *
 * <p>Threading: commands run on the thread that calls {@link #run} and wait for their replies
 * there; events are printed on the client's event loop. The offer out, the chats and the current
 * chat are shared between the two (atomic, copy-on-write, volatile).
 */
final class OfferTerminal {
  private static final String HELP =
      "commands: /accept [offerId], /reject [offerId], /ready, /notready [reason],"
          + " /chat [chatId], /status, /leave, /close [disposition], /quit";

  private volatile AgentSession client;
  private final PrintStream out;
  private final AtomicReference<String> offer = new AtomicReference<>();
  private final Set<String> chats = new CopyOnWriteArraySet<>();
  private volatile String current;

  OfferTerminal(PrintStream out) {
    this.out = out;
  }

  /**
   * The session logged in (its events come to {@link #event}): shows the chats it still works on
   * and goes Ready.
   */
  void loggedIn(AgentSession session) {
    this.client = session;
    JsonObject me = session.me();
    print(
        "logged in as "
            + me.getString("agentId")
            + " (capacity "
            + me.getInteger("capacity")
            + "); "
            + HELP);
    for (Object kept : me.getJsonArray("chats", new JsonArray())) {
      String chatId = String.valueOf(kept);
      chats.add(chatId);
      current = chatId;
      print("still yours: chat " + chatId);
      printEntries(await(client.refresh(chatId, 0)).getJsonArray("entries"));
    }
    printState(await(client.setState("Ready", "")));
  }

  /** Processes commands until {@code /quit} or the end of input, then disconnects. */
  void run(BufferedReader in) throws IOException {
    AgentConsole.readCommands(
        in,
        line -> {
          try {
            handle(line);
          } catch (ChatException e) {
            print("error: " + e.code() + ": " + e.getMessage());
          } catch (RuntimeException e) {
            print("error: " + e.getMessage());
          }
        });
    await(client.stop());
  }

  private void handle(String line) {
    String command = line.split("\\s+", 2)[0];
    String arg = line.length() > command.length() ? line.substring(command.length()).strip() : "";
    switch (command) {
      case "/accept" -> accept(arg.isEmpty() ? offerOut() : arg);
      case "/reject" -> {
        String id = arg.isEmpty() ? offerOut() : arg;
        await(client.reject(id));
        offer.compareAndSet(id, null);
        print("rejected " + id);
      }
      case "/ready" -> printState(await(client.setState("Ready", "")));
      case "/notready" -> printState(await(client.setState("NotReady", arg)));
      case "/chat" -> chat(arg);
      case "/status" -> status(await(client.status()));
      case "/leave" -> {
        String chatId = requireCurrent();
        await(client.leave(chatId));
        forget(chatId);
        print("left " + chatId);
      }
      case "/close" -> {
        String chatId = requireCurrent();
        await(client.close(chatId, arg));
        forget(chatId); // its chatClosed event prints the end
      }
      default -> {
        if (line.startsWith("/")) {
          print(HELP);
        } else {
          await(client.send(requireCurrent(), UUID.randomUUID().toString(), line));
        }
      }
    }
  }

  private void accept(String offerId) {
    JsonObject chat = await(client.accept(offerId));
    offer.compareAndSet(offerId, null);
    String chatId = chat.getString("chatId");
    chats.add(chatId);
    current = chatId;
    print("accepted " + chatId + " (queue " + chat.getString("queue") + ")");
    printEntries(chat.getJsonArray("entries"));
  }

  private void chat(String chatId) {
    if (chatId.isEmpty()) {
      print(chats.isEmpty() ? "no chat: /accept an offer" : "your chats: " + chats);
    } else if (chats.contains(chatId)) {
      current = chatId;
      print("current chat: " + chatId);
    } else {
      print("error: you are not working on chat " + chatId);
    }
  }

  private void status(JsonObject s) {
    for (Object o : s.getJsonArray("queues", new JsonArray())) {
      JsonObject q = (JsonObject) o;
      print(
          String.format(
              "queue %s: %d waiting, longest %d s",
              q.getString("queue"), q.getInteger("waiting"), q.getLong("longestWaitMs") / 1000));
    }
    for (Object o : s.getJsonArray("agents", new JsonArray())) {
      JsonObject a = (JsonObject) o;
      print(
          String.format(
              "agent %s: %s, %d/%d chats%s",
              a.getString("agentId"),
              stateText(a),
              a.getInteger("chats"),
              a.getInteger("capacity"),
              a.getBoolean("online", false) ? "" : ", offline"));
    }
  }

  // ---- events -------------------------------------------------------------------------------

  void event(JsonObject f) {
    String chatId = f.getString("chatId", "");
    switch (f.getString("event", "")) {
      case EVENT_OFFER -> {
        JsonObject c = f.getJsonObject("chat", new JsonObject());
        String subject = c.getString("subject", "");
        offer.set(f.getString("offerId"));
        print(
            "offer "
                + f.getString("offerId")
                + ": chat "
                + c.getString("chatId")
                + " in "
                + c.getString("queue")
                + " from "
                + c.getString("customer")
                + (subject.isBlank() ? "" : " — " + subject)
                + "; /accept or /reject within "
                + f.getLong("timeoutMs", 0L) / 1000
                + " s");
      }
      case EVENT_OFFER_REVOKED -> {
        offer.compareAndSet(f.getString("offerId"), null);
        print("offer " + f.getString("offerId") + " withdrawn (" + f.getString("reason") + ")");
      }
      case EVENT_STATE -> print("state: " + stateText(f));
      case EVENT_ENTRY ->
          print(prefix(chatId) + format(EntryJson.fromJson(f.getJsonObject("entry"))));
      case EVENT_NOTICE ->
          print(
              (chatId.isEmpty() ? "" : prefix(chatId))
                  + "notice: "
                  + f.getString("code")
                  + " — "
                  + f.getString("text"));
      case EVENT_CHAT_CLOSED -> {
        forget(chatId);
        print("chat " + chatId + " ended (" + f.getString("reason") + ")");
      }
      default -> {}
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  private String offerOut() {
    String o = offer.get();
    if (o == null) {
      throw new IllegalStateException("no offer is out to you: wait for one");
    }
    return o;
  }

  private String requireCurrent() {
    String c = current;
    if (c == null) {
      throw new IllegalStateException("no current chat: /accept an offer first");
    }
    return c;
  }

  /** The chat is no longer this agent's; another of its chats becomes the current one. */
  private void forget(String chatId) {
    chats.remove(chatId);
    if (chatId.equals(current)) {
      current = chats.stream().findFirst().orElse(null);
    }
  }

  private String prefix(String chatId) {
    return chatId.equals(current) ? "" : "(chat " + chatId + ") ";
  }

  private void printEntries(JsonArray entries) {
    if (entries != null) {
      EntryJson.fromJson(entries).forEach(e -> print(format(e)));
    }
  }

  private void printState(JsonObject agent) {
    print("state: " + stateText(agent));
  }

  private static String stateText(JsonObject a) {
    String reason = a.getString("reason", "");
    return a.getString("state") + (reason.isEmpty() ? "" : " (" + reason + ")");
  }

  private synchronized void print(String s) {
    out.println(s);
    out.flush();
  }
}
