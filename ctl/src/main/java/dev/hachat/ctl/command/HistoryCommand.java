package dev.hachat.ctl.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hachat.ctl.ExitCode;
import dev.hachat.ctl.HachatCtl;
import dev.hachat.ctl.admin.Calls;
import dev.hachat.ctl.output.HistoryText;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code hachatctl history CHAT}: a closed chat's final transcript from the contact history ({@code
 * GET /history/{chatId}} on the first {@code --admin} that answers: every instance reads the same
 * contact history; exit 1 when there is none).
 */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description =
        "Prints a closed chat's final transcript from the contact history (GET /history/CHAT).")
public final class HistoryCommand implements Callable<Integer> {
  @ParentCommand HachatCtl root;

  @Parameters(index = "0", paramLabel = "CHAT", description = "The chat id.")
  String chatId;

  @Override
  public Integer call() {
    String path = "/history/" + URLEncoder.encode(chatId, StandardCharsets.UTF_8);
    // every instance reads the same contact history: the first --admin that answers
    JsonNode h = Calls.firstAnswer(root.admins(), a -> root.client().getAsOperator(a, path));
    if (root.out().json()) {
      root.out().print(h);
    } else {
      root.out().text(HistoryText.render(h).stripTrailing());
    }
    return ExitCode.OK.code();
  }
}
