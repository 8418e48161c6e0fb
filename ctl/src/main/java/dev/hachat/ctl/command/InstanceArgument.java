package dev.hachat.ctl.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hachat.ctl.HachatCtl;
import dev.hachat.ctl.admin.Calls;
import java.time.Duration;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * What the commands on one instance share: the {@code INSTANCE} argument (an id from the cluster
 * view, or the {@code host:port} of its admin port) and the one-line summary of an admin answer.
 */
abstract class InstanceArgument {
  @ParentCommand HachatCtl root;

  @Parameters(
      index = "0",
      paramLabel = "INSTANCE",
      description = "Instance id (found through GET /cluster) or host:port of its admin port.")
  String instance;

  /** The admin address of {@link #instance}. */
  String admin() {
    return root.adminOf(instance);
  }

  /** POSTs {@code path} to the instance's admin port, waiting up to {@code wait}; the answer. */
  JsonNode post(String path, Duration wait) {
    return Calls.await(root.client().post(admin(), path, wait));
  }

  /** {@code cs1: disabled, 42 chats} from an answer with {@code instanceId/state/sessions}. */
  static String summary(JsonNode answer) {
    return answer.path("instanceId").asText("?")
        + ": "
        + answer.path("state").asText("?")
        + ", "
        + answer.path("sessions").asLong()
        + " chats";
  }

  /** Prints {@code answer}: as it is with {@code --json}, else its summary with {@code suffix}. */
  void report(JsonNode answer, String suffix) {
    if (root.out().json()) {
      root.out().print(answer);
    } else {
      root.out().text(summary(answer) + suffix);
    }
  }
}
