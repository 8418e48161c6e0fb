package dev.hachat.ctl.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * A contact-history record ({@code GET /history/{chatId}}, docs/ucs.md) as text: a heading (close,
 * reason, who wrote it), the participants, then one line per entry: index, time, who, type, text.
 */
public final class HistoryText {
  private HistoryText() {}

  public static String render(JsonNode h) {
    StringBuilder b = new StringBuilder();
    b.append("chat ")
        .append(h.path("chatId").asText())
        .append(": closed ")
        .append(h.path("closedAt").asText("?"))
        .append(" (")
        .append(h.path("closeReason").asText("?"))
        .append("), opened ")
        .append(h.path("createdAt").asText("?"))
        .append(", ")
        .append(h.path("entryCount").asLong(h.path("entries").size()))
        .append(" entries, written by ")
        .append(h.path("writtenBy").asText("?"))
        .append('\n');
    if (h.hasNonNull("subject") && !h.get("subject").asText().isEmpty()) {
      b.append("subject: ").append(h.get("subject").asText()).append('\n');
    }
    JsonNode data = h.path("userData");
    if (data.isObject() && data.size() > 0) {
      b.append("user data: ").append(Output.encode(data)).append('\n');
    }
    Map<String, String> names = new HashMap<>();
    StringBuilder people = new StringBuilder();
    for (JsonNode p : h.path("participants")) {
      String name = p.path("nickname").asText("?");
      names.put(p.path("participantId").asText(), name);
      people
          .append(people.length() == 0 ? "" : ", ")
          .append(name)
          .append(" (")
          .append(p.path("type").asText("?"))
          .append(p.path("left").asBoolean() ? ", left" : "")
          .append(')');
    }
    if (people.length() > 0) {
      b.append("participants: ").append(people).append('\n');
    }
    Table t = new Table("#", "TIME", "WHO", "TYPE", "TEXT");
    for (JsonNode e : h.path("entries")) {
      String who = e.path("nickname").asText("");
      if (who.isEmpty()) {
        who = names.getOrDefault(e.path("participantId").asText(), "");
      }
      t.row(
          e.path("index").asText(),
          e.path("utcTime").asText(""),
          who,
          e.path("type").asText(""),
          oneLine(e.path("text").asText("")));
    }
    return b.append(t.render()).toString();
  }

  /** A multi-line message on one row: line breaks shown as {@code ⏎}. */
  private static String oneLine(String text) {
    return text.replace("\r\n", "\n").replace('\n', '⏎');
  }
}
