package dev.hachat.ctl.command;

import dev.hachat.ctl.ExitCode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code hachatctl enable INSTANCE}: {@code POST /admin/enable}. */
@Command(
    name = "enable",
    mixinStandardHelpOptions = true,
    description = "INSTANCE takes new chats again; cancels a drain (POST /admin/enable).")
public final class EnableCommand extends InstanceArgument implements Callable<Integer> {
  @Override
  public Integer call() {
    report(post("/admin/enable", root.client().timeout()), "");
    return ExitCode.OK.code();
  }
}
