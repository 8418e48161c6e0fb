package dev.hachat.common.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a shipped sample configuration ({@code config/*.yaml}, every option once with its default)
 * against the options a {@link ConfigLoader} reads, as each module's tests do: every duration is
 * written with its unit, as {@code --print-config} shows it, and every option whose name says it is
 * a time span is a {@link DurationUnit} option.
 */
public final class SampleConfigCheck {
  private SampleConfigCheck() {}

  /** Option names that say "a time span": each such option must be a duration. */
  static final Pattern TIME_SPAN_NAME =
      Pattern.compile("(^|-)(timeout|interval|delay|ttl|time|retention|deadline|after)(-|$)");

  /** What is wrong with the durations of {@code sample}, one line each; empty when nothing is. */
  public static List<String> durations(ConfigLoader<?> loader, Path sample) {
    List<String> problems = new ArrayList<>();
    Map<String, String> written = loader.leafPaths(sample);
    Map<String, String> defaults = loader.leafPaths();
    for (String path : loader.durationPaths()) {
      if (!defaults.get(path).equals(written.get(path))) {
        problems.add(path + ": written " + written.get(path) + ", expected " + defaults.get(path));
      }
    }
    for (String path : defaults.keySet()) {
      String leaf = path.substring(path.lastIndexOf('.') + 1);
      if (TIME_SPAN_NAME.matcher(leaf).find() && !loader.durationPaths().contains(path)) {
        problems.add(path + ": named like a time span but not a @DurationUnit option");
      }
    }
    return problems;
  }
}
