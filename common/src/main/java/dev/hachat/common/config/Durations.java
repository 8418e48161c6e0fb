package dev.hachat.common.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of a duration option ({@link DurationUnit}), read and written. Accepted, around optional
 * blanks:
 *
 * <ul>
 *   <li>a whole number and a unit: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 48h}, {@code 2d}
 *       (milliseconds, seconds, minutes, hours, days of 24 h; any case, a blank may separate them:
 *       {@code 30 s});
 *   <li>an ISO-8601 duration as {@link Duration#parse} reads it: {@code PT5M}, {@code PT0.5S},
 *       {@code P2D} (the form {@code POST /admin/drain?deadline=} takes);
 *   <li>a bare whole number: in the option's own unit (seconds for {@code store.cassandra.ttl},
 *       milliseconds for {@code ha.heartbeat-interval}), as every option was written before units.
 * </ul>
 *
 * Refused, with the reason: a negative value, a fraction ({@code 1.5s}: write {@code 1500ms}), an
 * unknown unit, a value that is not a whole number of the option's unit ({@code 1500ms} for a
 * seconds option: it is never rounded) and one too large for the option. Written: the largest unit
 * that holds the value exactly ({@code 60000} ms is {@code 1m}, {@code 90} s is {@code 90s}; zero
 * is {@code 0s}).
 */
public final class Durations {
  private Durations() {}

  private static final Map<String, ChronoUnit> UNITS = new LinkedHashMap<>();

  static {
    UNITS.put("ms", ChronoUnit.MILLIS);
    UNITS.put("s", ChronoUnit.SECONDS);
    UNITS.put("m", ChronoUnit.MINUTES);
    UNITS.put("h", ChronoUnit.HOURS);
    UNITS.put("d", ChronoUnit.DAYS);
  }

  /** Units from the largest down: the order {@link #format} tries them in. */
  private static final List<String> LARGEST_FIRST = List.of("d", "h", "m", "s", "ms");

  private static final Pattern BARE = Pattern.compile("\\d+");
  private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)\\s*([A-Za-z]+)");
  private static final Pattern FRACTION = Pattern.compile("(\\d*\\.\\d+)\\s*([A-Za-z]*)");

  /**
   * The amount of {@code unit} that {@code text} says.
   *
   * @throws IllegalArgumentException saying why the text is not a duration this option can hold
   */
  public static long parse(String text, ChronoUnit unit) {
    String t = text.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("empty; a duration such as " + example(unit));
    }
    if (t.startsWith("-")) {
      throw new IllegalArgumentException("must not be negative: '" + text + "'");
    }
    if (BARE.matcher(t).matches()) {
      return whole(t, text);
    }
    Matcher m = WITH_UNIT.matcher(t);
    if (m.matches()) {
      ChronoUnit u = UNITS.get(m.group(2).toLowerCase(Locale.ROOT));
      if (u == null) {
        throw new IllegalArgumentException(
            "unknown unit '" + m.group(2) + "' in '" + text + "'; " + syntax(unit));
      }
      try {
        return in(Duration.of(whole(m.group(1), text), u), unit, text);
      } catch (ArithmeticException e) {
        throw tooLarge(text);
      }
    }
    Matcher f = FRACTION.matcher(t);
    if (f.matches() && f.group(2).isEmpty()) {
      throw new IllegalArgumentException("'" + text + "' is not a whole number of " + name(unit));
    }
    if (f.matches() && UNITS.containsKey(f.group(2).toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a whole number" + smaller(f.group(1), f.group(2)));
    }
    if (t.charAt(0) == 'P' || t.charAt(0) == 'p') {
      Duration d;
      try {
        d = Duration.parse(t);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("not an ISO-8601 duration: '" + text + "'");
      } catch (ArithmeticException e) {
        throw tooLarge(text);
      }
      if (d.isNegative()) {
        throw new IllegalArgumentException("must not be negative: '" + text + "'");
      }
      return in(d, unit, text);
    }
    throw new IllegalArgumentException("not a duration: '" + text + "'; " + syntax(unit));
  }

  /** {@code amount} of {@code unit} as text in the largest unit that holds it exactly. */
  public static String format(long amount, ChronoUnit unit) {
    String own = symbol(unit);
    if (amount == 0) {
      return "0s";
    }
    if (amount < 0) {
      return amount + own;
    }
    Duration d = Duration.of(amount, unit);
    for (String s : LARGEST_FIRST) {
      ChronoUnit u = UNITS.get(s);
      if (u.compareTo(unit) >= 0) {
        Duration step = u.getDuration();
        long q = d.dividedBy(step);
        if (step.multipliedBy(q).equals(d)) {
          return q + s;
        }
      }
    }
    return amount + own;
  }

  /** The symbol of a unit a duration option may be held in ({@code ms}, {@code s}, ...). */
  static String symbol(ChronoUnit unit) {
    for (Map.Entry<String, ChronoUnit> e : UNITS.entrySet()) {
      if (e.getValue() == unit) {
        return e.getKey();
      }
    }
    throw new IllegalArgumentException("a duration option cannot be held in " + unit);
  }

  /** The unit's name in messages: "milliseconds", "seconds", ... */
  static String name(ChronoUnit unit) {
    return unit == ChronoUnit.MILLIS ? "milliseconds" : unit.toString().toLowerCase(Locale.ROOT);
  }

  private static long in(Duration d, ChronoUnit unit, String text) {
    Duration step = unit.getDuration();
    try {
      long q = d.dividedBy(step);
      if (!step.multipliedBy(q).equals(d)) {
        throw new IllegalArgumentException(
            "'" + text + "' is not a whole number of " + name(unit) + " (never rounded)");
      }
      return q;
    } catch (ArithmeticException e) {
      throw tooLarge(text);
    }
  }

  private static long whole(String digits, String text) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw tooLarge(text);
    }
  }

  /** ", write 1500ms" for 1.5 s, when the next smaller unit holds it exactly. */
  private static String smaller(String number, String symbol) {
    String s = symbol.toLowerCase(Locale.ROOT);
    int i = LARGEST_FIRST.indexOf(s);
    if (i < LARGEST_FIRST.size() - 1) {
      String next = LARGEST_FIRST.get(i + 1);
      BigDecimal ratio =
          BigDecimal.valueOf(UNITS.get(s).getDuration().toMillis())
              .divide(BigDecimal.valueOf(UNITS.get(next).getDuration().toMillis()));
      BigDecimal v = new BigDecimal(number).multiply(ratio).stripTrailingZeros();
      if (v.scale() <= 0) {
        return ": write " + v.toPlainString() + next;
      }
    }
    return ": use a whole number of a smaller unit";
  }

  private static IllegalArgumentException tooLarge(String text) {
    return new IllegalArgumentException("too large: '" + text + "'");
  }

  private static String example(ChronoUnit unit) {
    return unit == ChronoUnit.MILLIS ? "500ms" : "30s";
  }

  private static String syntax(ChronoUnit unit) {
    return "a duration is a whole number and one of ms, s, m, h, d (e.g. "
        + example(unit)
        + "), an ISO-8601 duration (PT5M) or a bare number of "
        + name(unit);
  }
}
