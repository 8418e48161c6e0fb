package dev.hachat.ctl;

import dev.hachat.ctl.admin.AdminClient;
import dev.hachat.ctl.admin.AdminClientOptions;
import dev.hachat.ctl.admin.ClusterView;
import dev.hachat.ctl.admin.Credentials;
import dev.hachat.ctl.command.DisableCommand;
import dev.hachat.ctl.command.DrainCommand;
import dev.hachat.ctl.command.EnableCommand;
import dev.hachat.ctl.command.EvacuateCommand;
import dev.hachat.ctl.command.HistoryCommand;
import dev.hachat.ctl.command.RollingUpgradeCommand;
import dev.hachat.ctl.command.StatusCommand;
import dev.hachat.ctl.output.Output;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code hachatctl}: the top command and its global options (every one may also stand after the
 * subcommand). Subcommands reach the shared pieces (the admin client, the output, the cluster view)
 * through it. See docs/hachatctl.md.
 */
@Command(
    name = "hachatctl",
    mixinStandardHelpOptions = true,
    versionProvider = HachatCtl.Version.class,
    synopsisSubcommandLabel = "COMMAND",
    description = "Operates a hachat cluster through the instances' admin ports.",
    subcommands = {
      StatusCommand.class,
      DisableCommand.class,
      EnableCommand.class,
      DrainCommand.class,
      EvacuateCommand.class,
      HistoryCommand.class,
      RollingUpgradeCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done",
      "1:the operation failed or was refused (unknown instance or chat, error answer, chats"
          + " left behind, drain cancelled, an upgrade step failed)",
      "2:usage error (bad option or argument; an instance answered 400)",
      "3:no answer: refused, timed out, TLS failed, a --wait ran out",
      "4:credentials refused: 401, 403 (not an operator), 429 (throttled)"
    },
    footer =
        "%nEnvironment: HACHATCTL_ADMIN, HACHATCTL_USER, HACHATCTL_PASSWORD_FILE,"
            + " HACHATCTL_PASSWORD, HACHATCTL_TOKEN_FILE, HACHATCTL_TOKEN,"
            + " HACHATCTL_TLS_TRUST_FILE.%nSee docs/hachatctl.md.")
public final class HachatCtl implements Runnable {
  /** The admin port {@code scripts/run-local} gives instance cs1. */
  public static final String DEFAULT_ADMIN = "127.0.0.1:9082";

  public static final String ENV_ADMIN = "HACHATCTL_ADMIN";
  public static final String ENV_TLS_TRUST_FILE = "HACHATCTL_TLS_TRUST_FILE";

  @Option(
      names = {"--admin", "--cluster"},
      split = ",",
      paramLabel = "HOST:PORT",
      scope = ScopeType.INHERIT,
      description =
          "Admin address of any instance (a comma list: the first that answers); the others are"
              + " found through its GET /cluster. Default: $HACHATCTL_ADMIN or "
              + DEFAULT_ADMIN
              + ".")
  List<String> admins = new ArrayList<>();

  @Option(
      names = "--user",
      paramLabel = "ACCOUNT",
      scope = ScopeType.INHERIT,
      description = "Operator account for Basic credentials (or $HACHATCTL_USER).")
  String user;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description =
          "File whose first line is the password (or $HACHATCTL_PASSWORD_FILE, or"
              + " $HACHATCTL_PASSWORD; else a prompt on a terminal).")
  Path passwordFile;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description =
          "File whose first line is a token for Bearer credentials (or $HACHATCTL_TOKEN_FILE, or"
              + " $HACHATCTL_TOKEN).")
  Path tokenFile;

  @Option(
      names = "--tls-trust-file",
      paramLabel = "PEM",
      scope = ScopeType.INHERIT,
      description =
          "CA certificates to trust: the admin ports speak TLS (security.tls-trust-file; or"
              + " $HACHATCTL_TLS_TRUST_FILE). Default: plain HTTP.")
  Path tlsTrustFile;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "Machine-readable output: one JSON document per line.")
  boolean json;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      scope = ScopeType.INHERIT,
      description = "How long one request may take: 500ms, 10s, 5m (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Spec CommandSpec spec;

  private final Map<String, String> env;
  private AdminClient client;
  private Output output;

  public HachatCtl(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /**
   * The command line ready to {@link CommandLine#execute}: durations parsed by {@link Durations}, a
   * {@link CtlException} ending the command with its exit code and its message on stderr.
   */
  public static CommandLine commandLine(Map<String, String> env) {
    CommandLine cl = new CommandLine(new HachatCtl(env));
    cl.registerConverter(Duration.class, Durations::parse);
    cl.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine cmd = e.getCommandLine();
          cmd.getErr().println("hachatctl: " + e.getMessage());
          cmd.getErr().print("Usage: " + cmd.getHelp().synopsis(0));
          cmd.getErr().println("See '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
          cmd.getErr().flush();
          return ExitCode.USAGE.code();
        });
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          CtlException failure =
              e instanceof CtlException ce
                  ? ce
                  : new CtlException(ExitCode.FAILED, "unexpected failure: " + e);
          cmd.getErr().println("hachatctl: " + failure.getMessage());
          cmd.getErr().flush();
          return failure.kind().code();
        });
    return cl;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing COMMAND");
  }

  /** The admin client of these options (made once). */
  public synchronized AdminClient client() {
    if (client == null) {
      Path trust = tlsTrustFile;
      if (trust == null && env.get(ENV_TLS_TRUST_FILE) != null) {
        trust = Path.of(env.get(ENV_TLS_TRUST_FILE));
      }
      if (timeout.isZero() || timeout.isNegative()) {
        throw new CtlException(ExitCode.USAGE, "--timeout must be positive");
      }
      client =
          AdminClient.create(
              new AdminClientOptions()
                  .setTimeout(timeout)
                  .setTlsTrustFile(trust)
                  .setCredentials(
                      () ->
                          Credentials.resolve(
                              user, passwordFile, tokenFile, env, System.console())));
    }
    return client;
  }

  /** Where the commands write (picocli's out and err, so tests can capture them). */
  public synchronized Output out() {
    if (output == null) {
      output = new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), json);
    }
    return output;
  }

  /**
   * The admin addresses to ask: {@code --admin}, else {@code $HACHATCTL_ADMIN}, else the default.
   */
  public List<String> admins() {
    List<String> list = new ArrayList<>();
    if (!admins.isEmpty()) {
      list.addAll(admins);
    } else {
      for (String a : env.getOrDefault(ENV_ADMIN, DEFAULT_ADMIN).split(",")) {
        list.add(a.strip());
      }
    }
    for (String a : list) {
      if (!ClusterView.isAddress(a)) {
        throw new CtlException(ExitCode.USAGE, "--admin " + a + ": not a host:port");
      }
    }
    return list;
  }

  /** The cluster as the first answering admin address sees it. */
  public ClusterView cluster() {
    List<String> addresses = admins();
    return ClusterView.fetch(client(), addresses);
  }

  /**
   * The admin address of {@code instance}: a {@code host:port} as it is, an id through {@link
   * #cluster()}.
   */
  public String adminOf(String instance) {
    return ClusterView.isAddress(instance) ? instance : cluster().adminOf(instance);
  }

  /** Writes the program's version: the jar's Implementation-Version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = HachatCtl.class.getPackage().getImplementationVersion();
      return new String[] {"hachatctl " + (v == null ? "(development build)" : v)};
    }
  }
}
