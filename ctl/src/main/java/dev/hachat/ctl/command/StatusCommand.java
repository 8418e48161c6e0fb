package dev.hachat.ctl.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hachat.ctl.CtlException;
import dev.hachat.ctl.ExitCode;
import dev.hachat.ctl.HachatCtl;
import dev.hachat.ctl.admin.AdminClient;
import dev.hachat.ctl.admin.Calls;
import dev.hachat.ctl.admin.ClusterView;
import dev.hachat.ctl.admin.Member;
import dev.hachat.ctl.output.StatusReport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code hachatctl status}: the state table. From an instance's {@code /cluster}, with every live
 * instance's {@code /health} read at the same time (a {@code /health} that fails leaves its row to
 * the registry and adds a note; the command still succeeds); or with {@code --webapi} from a web
 * API server's {@code /instances}.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "The state table: every instance, its state, whether it takes new chats, its chats, its"
          + " store, heartbeat, version, uptime and addresses."
    })
public final class StatusCommand implements Callable<Integer> {
  @ParentCommand HachatCtl root;

  @Option(
      names = "--webapi",
      paramLabel = "HOST:PORT",
      description =
          "Read the table from this web API server's GET /instances instead (it adds failed,"
              + " restoring and suspect as the web tier judges them; needs operator credentials"
              + " when security is on).")
  String webapi;

  @Override
  public Integer call() {
    ObjectNode report = webapi != null ? fromWebApi() : fromCluster();
    if (root.out().json()) {
      root.out().print(report);
    } else {
      root.out().text(StatusReport.table(report, System.currentTimeMillis()).stripTrailing());
    }
    return ExitCode.OK.code();
  }

  private ObjectNode fromWebApi() {
    if (!ClusterView.isAddress(webapi)) {
      throw new CtlException(ExitCode.USAGE, "--webapi " + webapi + ": not a host:port");
    }
    return StatusReport.fromWebApi(
        webapi, Calls.await(root.client().getAsOperator(webapi, "/instances")));
  }

  private ObjectNode fromCluster() {
    AdminClient client = root.client();
    ClusterView view = root.cluster();
    Map<String, CompletableFuture<JsonNode>> calls = new LinkedHashMap<>();
    for (Member m : view.members()) {
      if (m.alive() && !m.admin().isEmpty()) {
        calls.put(m.id(), client.health(m.admin()));
      }
    }
    Map<String, JsonNode> health = new LinkedHashMap<>();
    Map<String, String> errors = new LinkedHashMap<>();
    calls.forEach(
        (id, f) -> {
          try {
            health.put(id, Calls.await(f));
          } catch (CtlException e) {
            errors.put(id, e.getMessage());
          }
        });
    return StatusReport.fromCluster(view, health, errors);
  }
}
