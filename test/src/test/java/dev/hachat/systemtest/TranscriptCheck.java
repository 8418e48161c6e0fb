package dev.hachat.systemtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loss and duplicate checks of the failover tests, as plain functions that return what is wrong
 * (empty: nothing), so that a test can also show that they catch a doctored transcript.
 */
final class TranscriptCheck {
  private TranscriptCheck() {}

  /**
   * A chat's transcript (GMS {@code messages}: index, type, text) against the texts its senders saw
   * acknowledged, in order: indexes 1, 2, 3 … without a gap or a repeat, every acknowledged text
   * exactly once and in the order acknowledged, and no Message that nobody saw acknowledged.
   */
  static List<String> problems(JsonArray transcript, List<String> acked) {
    List<String> problems = new ArrayList<>();
    for (int k = 0; k < transcript.size(); k++) {
      long index = transcript.getJsonObject(k).getLong("index");
      if (index != k + 1) {
        problems.add("entry " + (k + 1) + " has index " + index);
      }
    }
    List<String> texts = new ArrayList<>();
    for (int k = 0; k < transcript.size(); k++) {
      JsonObject m = transcript.getJsonObject(k);
      if ("Message".equals(m.getString("type"))) {
        texts.add(m.getString("text"));
      }
    }
    Map<String, Integer> counts = new HashMap<>();
    texts.forEach(t -> counts.merge(t, 1, Integer::sum));
    for (String a : acked) {
      int n = counts.getOrDefault(a, 0);
      if (n == 0) {
        problems.add("lost: " + a);
      } else if (n > 1) {
        problems.add("doubled (" + n + "x): " + a);
      }
    }
    List<String> unacked = texts.stream().filter(t -> !acked.contains(t)).toList();
    if (!unacked.isEmpty()) {
      problems.add("never acknowledged: " + unacked);
    }
    List<String> firstOfEach = texts.stream().distinct().filter(acked::contains).toList();
    List<String> present = acked.stream().filter(counts::containsKey).toList();
    if (!firstOfEach.equals(present)) {
      problems.add("out of order: " + firstOfEach + " vs acknowledged " + present);
    }
    return problems;
  }

  /**
   * What a push client (CometD) was delivered, against the chat's transcript: every entry of the
   * transcript delivered exactly once, nothing delivered that the transcript lacks.
   */
  static List<String> deliveryProblems(Collection<JsonObject> delivered, JsonArray transcript) {
    Map<Long, Integer> times = new LinkedHashMap<>();
    delivered.forEach(m -> times.merge(m.getLong("index"), 1, Integer::sum));
    List<String> problems = new ArrayList<>();
    for (int k = 0; k < transcript.size(); k++) {
      long index = transcript.getJsonObject(k).getLong("index");
      int n = times.getOrDefault(index, 0);
      if (n != 1) {
        problems.add("index " + index + " delivered " + n + " times");
      }
    }
    times.keySet().stream()
        .filter(i -> i < 1 || i > transcript.size())
        .forEach(i -> problems.add("index " + i + " delivered but not in the transcript"));
    return problems;
  }
}
