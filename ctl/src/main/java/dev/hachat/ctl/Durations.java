package dev.hachat.ctl;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line's durations ({@code --timeout}, {@code --deadline} …): a number with a unit,
 * {@code 500ms}, {@code 10s}, {@code 5m}, {@code 48h}, {@code 2d}, or several of them ({@code
 * 1h30m}); an ISO-8601 duration ({@code PT5M}); or a bare number of seconds ({@code 300}, as the
 * admin port's {@code ?deadline=} takes it).
 */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
  private static final Pattern WHOLE = Pattern.compile("(?:\\d{1,9}(?:ms|s|m|h|d))+");

  private Durations() {}

  /** The duration {@code text} says; {@link IllegalArgumentException} for anything else. */
  public static Duration parse(String text) {
    String t = text == null ? "" : text.trim();
    if (t.matches("\\d{1,9}")) {
      return Duration.ofSeconds(Long.parseLong(t));
    }
    if (t.startsWith("P") || t.startsWith("p")) {
      try {
        Duration d = Duration.parse(t);
        if (d.isNegative()) {
          throw new IllegalArgumentException("negative duration: " + text);
        }
        return d;
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(invalid(text), e);
      }
    }
    if (!WHOLE.matcher(t).matches()) {
      throw new IllegalArgumentException(invalid(text));
    }
    Duration d = Duration.ZERO;
    Matcher m = PART.matcher(t);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      d =
          d.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
              });
    }
    return d;
  }

  /**
   * {@code d} the way an operator writes it: {@code 5m}, {@code 1h30m}, {@code 1s500ms}, {@code
   * 0s}.
   */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder b = new StringBuilder();
    long days = d.toDays();
    append(b, days, "d");
    append(b, d.toHoursPart(), "h");
    append(b, d.toMinutesPart(), "m");
    append(b, d.toSecondsPart(), "s");
    append(b, d.toMillisPart(), "ms");
    return b.length() == 0 ? "0s" : b.toString();
  }

  private static void append(StringBuilder b, long n, String unit) {
    if (n > 0) {
      b.append(n).append(unit);
    }
  }

  private static String invalid(String text) {
    return "not a duration: '"
        + text
        + "' (a number with a unit: 500ms, 10s, 5m, 48h; or PT5M; or seconds)";
  }
}
