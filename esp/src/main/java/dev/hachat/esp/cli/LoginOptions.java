package dev.hachat.esp.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Who a command-line agent logs in as, and how: the options both {@code scripts/agent} modes take
 * (a picocli mixin). A password comes from an environment variable or a prompt, never from the
 * command line, where {@code ps} shows it.
 */
public final class LoginOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--agent-id",
      defaultValue = "agent-1",
      description = "Agent id (default ${DEFAULT-VALUE})")
  String agentId;

  @Option(
      names = "--nickname",
      defaultValue = "Agent",
      description = "Name customers see (default ${DEFAULT-VALUE})")
  String nickname;

  @Option(
      names = "--password-env",
      description =
          "Name of an environment variable holding the account password (never on the command"
              + " line, where ps shows it)")
  String passwordEnv;

  @Option(
      names = "--password",
      description = "Prompt for the account password (when the server has security on)")
  boolean promptPassword;

  @Option(
      names = "--tls-trust-file",
      description = "PEM CA certificates to trust when the server uses TLS (default: plain text)")
  String tlsTrustFile;

  public String agentId() {
    return agentId;
  }

  public String nickname() {
    return nickname;
  }

  /** The CA file for TLS; empty: plain text. */
  public String tlsTrustFile() {
    return tlsTrustFile == null ? "" : tlsTrustFile;
  }

  /** The password from {@code --password-env} or the prompt; null for an open server. */
  public String password() {
    if (passwordEnv != null) {
      String p = System.getenv(passwordEnv);
      if (p == null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "environment variable " + passwordEnv + " is not set");
      }
      return p;
    }
    if (promptPassword) {
      java.io.Console console = System.console();
      if (console == null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--password needs a terminal; use --password-env NAME");
      }
      return new String(console.readPassword("password for %s: ", agentId));
    }
    return null;
  }
}
