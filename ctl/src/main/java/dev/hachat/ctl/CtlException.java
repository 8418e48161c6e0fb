package dev.hachat.ctl;

/**
 * An expected failure of a command: its {@link ExitCode} and a message for the operator (printed on
 * stderr as {@code hachatctl: <message>}). Carries no stack trace.
 */
public final class CtlException extends RuntimeException {
  private final ExitCode kind;

  public CtlException(ExitCode kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public ExitCode kind() {
    return kind;
  }
}
