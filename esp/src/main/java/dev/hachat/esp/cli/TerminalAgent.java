package dev.hachat.esp.cli;

import static dev.hachat.esp.cli.AgentConsole.await;
import static dev.hachat.esp.cli.AgentConsole.format;

import dev.hachat.esp.client.EspClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;

/**
 * Reads agent commands line by line and prints what happens in the chats. Blocking reads happen on
 * the calling thread (never an event loop); client events are printed as they arrive.
 *
 * <p>Commands: {@code /list}, {@code /accept <chatId>}, {@code /leave}, {@code /close}, {@code
 * /quit}, and the room commands of {@link RoomCommands} ({@code /rooms}, {@code /room-create},
 * {@code /room}, …); any other line is a message to the current chat or room.
 */
public final class TerminalAgent {
  private final EspClient client;
  private final PrintStream out;
  private volatile String current;
  private final RoomCommands rooms;

  public TerminalAgent(EspClient client, PrintStream out) {
    this.client = client;
    this.out = out;
    client
        .onChatWaiting(
            c -> print("waiting: " + c.chatId() + " " + c.customer() + " — " + c.subject()))
        .onChatNoLongerWaiting(id -> {})
        .onEntry((chatId, e) -> print(format(e)))
        .onChatClosed((chatId, reason) -> print("chat " + chatId + " ended (" + reason + ")"))
        .onNotice((chatId, code) -> print("notice: " + code))
        .onDisconnected(code -> print("disconnected (" + code + ")"));
    this.rooms = new RoomCommands(client, this::print);
  }

  /** Processes commands until {@code /quit} or end of input. */
  public void run(BufferedReader in) throws IOException {
    AgentConsole.readCommands(in, this::handle);
    await(client.disconnect());
  }

  private void handle(String line) {
    try {
      if (line.equals("/list")) {
        var chats = await(client.listWaiting());
        if (chats.isEmpty()) {
          print("no chat is waiting");
        }
        chats.forEach(
            c -> print("waiting: " + c.chatId() + " " + c.customer() + " — " + c.subject()));
      } else if (line.startsWith("/accept ")) {
        var chat = await(client.accept(line.substring(8).strip()));
        current = chat.chatId();
        rooms.clear();
        print("accepted " + chat.chatId());
        chat.entries().forEach(e -> print(format(e)));
      } else if (line.equals("/leave")) {
        await(client.leave(requireCurrent()));
        print("left " + current);
        current = null;
      } else if (line.equals("/close")) {
        await(client.close(requireCurrent()));
        current = null;
      } else if (line.startsWith("/room") && rooms.handle(line)) {
        if (rooms.current() != null) {
          current = null;
        }
      } else if (line.startsWith("/")) {
        print(
            "commands: /list, /accept <chatId>, /leave, /close, /rooms, /room-create NAME [| TOPIC],"
                + " /room ROOMID, /room-invite AGENT [moderator], /room-history [BEFORE],"
                + " /room-leave, /quit");
      } else if (rooms.current() != null) {
        rooms.post(line);
      } else {
        await(client.send(requireCurrent(), null, line));
      }
    } catch (RuntimeException e) {
      print("error: " + e.getMessage());
    }
  }

  private String requireCurrent() {
    String c = current;
    if (c == null) {
      throw new IllegalStateException("no current chat: /accept one first");
    }
    return c;
  }

  private synchronized void print(String s) {
    out.println(s);
    out.flush();
  }
}
