package dev.hachat.ctl.admin;

import dev.hachat.ctl.CtlException;
import dev.hachat.ctl.ExitCode;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * An operator's credential for the admin calls that need one: {@code Basic} of an account and its
 * password, {@code Bearer} of a token, or none (open mode). Passwords and tokens come from files or
 * environment variables, or a prompt, never from a command-line value {@code ps} would show.
 * Immutable.
 */
public final class Credentials {
  /** Environment variables read when the matching option is not given. */
  public static final String ENV_USER = "HACHATCTL_USER";

  public static final String ENV_PASSWORD_FILE = "HACHATCTL_PASSWORD_FILE";
  public static final String ENV_PASSWORD = "HACHATCTL_PASSWORD";
  public static final String ENV_TOKEN_FILE = "HACHATCTL_TOKEN_FILE";
  public static final String ENV_TOKEN = "HACHATCTL_TOKEN";

  private static final Credentials NONE = new Credentials(null, "no credentials");
  private final String header;
  private final String description;

  private Credentials(String header, String description) {
    this.header = header;
    this.description = description;
  }

  public static Credentials none() {
    return NONE;
  }

  public static Credentials basic(String user, String password) {
    String pair = user + ":" + password;
    return new Credentials(
        "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)),
        "account " + user);
  }

  public static Credentials bearer(String token) {
    return new Credentials("Bearer " + token, "a token");
  }

  /**
   * The credential the options and the environment name: {@code --user} (or {@value #ENV_USER})
   * with a password from {@code --password-file}, {@value #ENV_PASSWORD_FILE}, {@value
   * #ENV_PASSWORD} or a prompt on {@code console}; or a token from {@code --token-file}, {@value
   * #ENV_TOKEN_FILE} or {@value #ENV_TOKEN}; or none. Usage errors ({@link ExitCode#USAGE}) for
   * both kinds at once, a password without a user, an unreadable or empty file.
   *
   * @param console where to prompt for a password, or null (no terminal)
   */
  public static Credentials resolve(
      String user, Path passwordFile, Path tokenFile, Map<String, String> env, Console console) {
    String u = user != null ? user : blankToNull(env.get(ENV_USER));
    Path pf = passwordFile != null ? passwordFile : path(env.get(ENV_PASSWORD_FILE));
    Path tf = tokenFile != null ? tokenFile : path(env.get(ENV_TOKEN_FILE));
    String token =
        blankToNull(
            (tf != null
                    ? firstLine(tf, "--token-file")
                    : java.util.Objects.toString(env.get(ENV_TOKEN), ""))
                .strip());
    if (u != null && token != null) {
      throw usage("give either --user (Basic) or a token (Bearer), not both");
    }
    if (token != null) {
      return bearer(token);
    }
    if (u == null) {
      if (pf != null) {
        throw usage("--password-file needs --user (or " + ENV_USER + ")");
      }
      return NONE;
    }
    String password =
        pf != null ? firstLine(pf, "--password-file") : blankToNull(env.get(ENV_PASSWORD));
    if (password == null && console != null) {
      char[] typed = console.readPassword("password for %s: ", u);
      password = typed == null ? null : blankToNull(new String(typed));
    }
    if (password == null) {
      throw usage(
          "--user "
              + u
              + " needs a password: --password-file, "
              + ENV_PASSWORD_FILE
              + " or "
              + ENV_PASSWORD
              + " (or a terminal to prompt on)");
    }
    return basic(u, password);
  }

  /** The {@code Authorization} header value, empty for none. */
  public Optional<String> header() {
    return Optional.ofNullable(header);
  }

  public boolean present() {
    return header != null;
  }

  /** What the credential is, for messages ("account op-1", "a token"); never the secret. */
  public String description() {
    return description;
  }

  @Override
  public String toString() {
    return description;
  }

  private static String firstLine(Path file, String option) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw usage(option + " " + file + ": cannot read it (" + e.getMessage() + ")");
    }
    int nl = text.indexOf('\n');
    String line = (nl < 0 ? text : text.substring(0, nl)).replace("\r", "");
    if (line.isBlank()) {
      throw usage(option + " " + file + ": the first line is empty");
    }
    return line;
  }

  private static Path path(String value) {
    String v = blankToNull(value);
    return v == null ? null : Path.of(v);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static CtlException usage(String message) {
    return new CtlException(ExitCode.USAGE, message);
  }
}
