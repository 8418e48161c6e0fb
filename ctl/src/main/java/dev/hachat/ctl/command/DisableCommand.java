package dev.hachat.ctl.command;

import dev.hachat.ctl.ExitCode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code hachatctl disable INSTANCE}: {@code POST /admin/disable}. */
@Command(
    name = "disable",
    mixinStandardHelpOptions = true,
    description =
        "Takes no new chats on INSTANCE; it serves the chats it holds (POST /admin/disable).")
public final class DisableCommand extends InstanceArgument implements Callable<Integer> {
  @Override
  public Integer call() {
    report(post("/admin/disable", root.client().timeout()), "");
    return ExitCode.OK.code();
  }
}
