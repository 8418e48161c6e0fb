package dev.hachat.server.ops;

/**
 * Reads an operator's deadline: an ISO-8601 duration ({@code PT5M}) or plain seconds ({@code 300}).
 */
public final class Deadlines {
  private Deadlines() {}

  /** Milliseconds of {@code text}; throws {@link IllegalArgumentException} for anything else. */
  public static long millis(String text) {
    String d = text.trim();
    long ms;
    if (d.matches("\\d{1,9}")) {
      ms = Long.parseLong(d) * 1000;
    } else {
      try {
        ms = java.time.Duration.parse(d).toMillis();
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException("not a duration: " + text, e);
      }
    }
    if (ms < 0) {
      throw new IllegalArgumentException("negative duration: " + text);
    }
    return ms;
  }
}
