package dev.hachat.ctl.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hachat.ctl.output.Output;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The steps of a long procedure as they happen: {@code 09:00:01 [cs1] disable: disabled, 3 chats}
 * on a terminal (local time), or with {@code --json} one object per step ({@code {"at":"…Z",
 * "instance":"cs1","step":"disable",…}}, the admin answer's fields merged in), so a script can
 * follow along line by line.
 */
final class Progress {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
  private final Output out;

  Progress(Output out) {
    this.out = out;
  }

  /** A step of {@code instance} ({@code null}: the whole procedure). */
  void step(String instance, String step, String text, JsonNode details) {
    if (out.json()) {
      ObjectNode o = Output.object().put("at", Instant.now().toString());
      if (instance != null) {
        o.put("instance", instance);
      }
      o.put("step", step).put("message", text);
      if (details != null && details.isObject()) {
        o.setAll((ObjectNode) details.deepCopy());
      }
      out.print(o);
    } else {
      String time = LocalTime.now().truncatedTo(ChronoUnit.SECONDS).format(TIME);
      out.text(time + " " + (instance == null ? "" : "[" + instance + "] ") + text);
    }
  }

  void step(String instance, String step, String text) {
    step(instance, step, text, null);
  }
}
