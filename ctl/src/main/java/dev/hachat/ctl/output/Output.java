package dev.hachat.ctl.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;

/**
 * Where a command writes: text for a terminal, or with {@code --json} one JSON document per line
 * (nothing else on stdout, so {@code jq} can read it). Errors go to stderr either way.
 */
public final class Output {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean json;

  public Output(PrintWriter out, PrintWriter err, boolean json) {
    this.out = out;
    this.err = err;
    this.json = json;
  }

  public boolean json() {
    return json;
  }

  /** A new JSON object to fill and {@link #print}. */
  public static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** {@code node} as one line of JSON. */
  public static String encode(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One JSON document on a line of its own. */
  public void print(JsonNode node) {
    out.println(encode(node));
    out.flush();
  }

  /** A line of text (in text mode; dropped with {@code --json}). */
  public void text(String line) {
    if (!json) {
      out.println(line);
      out.flush();
    }
  }

  /** A line on stderr (warnings that do not fail the command). */
  public void warn(String line) {
    err.println("hachatctl: " + line);
    err.flush();
  }
}
