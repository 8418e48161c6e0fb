package dev.hachat.ctl;

/**
 * The exit codes of {@code hachatctl}, a stable contract for scripts (docs/hachatctl.md). Each
 * failure of a command is one of these kinds; the message on stderr says which call and why.
 */
public enum ExitCode {
  /** The command did what it was asked. */
  OK(0),
  /**
   * The instance answered but the operation failed or was refused: an unknown instance or chat, an
   * error answer (4xx other than 400/401/403/429, 5xx), an evacuation that left chats behind, a
   * cancelled drain, a rolling-upgrade step that did not work out.
   */
  FAILED(1),
  /** The command line was wrong (or an instance answered 400 to what it carried). */
  USAGE(2),
  /**
   * No answer: the admin port refused the connection, did not answer within {@code --timeout}, the
   * TLS handshake failed, or a {@code --wait} did not end within its bound.
   */
  UNREACHABLE(3),
  /**
   * The credentials were refused: 401 (missing or wrong), 403 (not an operator), 429 (throttled).
   */
  AUTH(4);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  /** The process exit status. */
  public int code() {
    return code;
  }
}
