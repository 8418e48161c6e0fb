package dev.hachat.bench.chaos;

import static dev.hachat.bench.BenchSupport.await;

import dev.hachat.bench.chaos.History.Party;
import dev.hachat.esp.client.FailoverEspClient;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantType;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads every chat's final transcript once nothing is sent any more: an open chat as the customer
 * reads it (refresh from the owner over the webapi port) and as the agent reads it (ESP refresh),
 * again while it still changes (a re-attach may still add a notice); a closed chat from the contact
 * history ({@code GET /history/{chatId}} on an admin port), where it must have arrived once and
 * complete. Blocking: called from the run's main thread.
 */
final class FinalViews {
  private static final long READ_SECONDS = 60;

  private final Vertx vertx;
  private final WebClient http;
  private final FailoverEspClient desk;
  private final List<Integer> adminPorts;
  private final Consumer<String> failures;

  FinalViews(
      Vertx vertx,
      WebClient http,
      FailoverEspClient desk,
      List<Integer> adminPorts,
      Consumer<String> failures) {
    this.vertx = vertx;
    this.http = http;
    this.desk = desk;
    this.adminPorts = adminPorts;
    this.failures = failures;
  }

  Map<String, Map<Party, List<Entry>>> read(List<ChaosChat> chats) throws InterruptedException {
    Map<String, Map<Party, List<Entry>>> views = new HashMap<>();
    for (ChaosChat chat : chats) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READ_SECONDS);
      try {
        views.put(chat.chatId(), chat.closed() ? history(chat, deadline) : live(chat, deadline));
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        failures.accept("final transcript of " + chat.chatId() + " not readable: " + e);
      }
    }
    return views;
  }

  private Map<Party, List<Entry>> live(ChaosChat chat, long deadline) throws Exception {
    List<Entry> customer = await(chat.customer().refresh(0, deadline));
    List<Entry> agent = List.of();
    for (int attempt = 0; attempt < 5; attempt++) {
      agent = await(desk.refresh(chat.chatId(), 0)).entries();
      List<Entry> again = await(chat.customer().refresh(0, deadline));
      boolean stable = again.equals(customer);
      customer = again;
      if (stable) {
        break;
      }
    }
    return Map.of(Party.CUSTOMER, customer, Party.AGENT, agent);
  }

  /** The contact history's record, as both parties' view (there is one record per chat). */
  private Map<Party, List<Entry>> history(ChaosChat chat, long deadline) throws Exception {
    String last = "no answer";
    for (int i = 0; System.nanoTime() - deadline < 0; i++) {
      int port = adminPorts.get(i % adminPorts.size());
      try {
        HttpResponse<Buffer> r =
            await(http.get(port, "127.0.0.1", "/history/" + chat.chatId()).timeout(3000).send());
        if (r.statusCode() == 200) {
          List<Entry> t =
              fromHistory(
                  r.bodyAsJsonObject().getJsonArray("entries"),
                  chat.customer().participantId(),
                  chat.agentParticipantId());
          return Map.of(Party.CUSTOMER, t, Party.AGENT, t);
        }
        last = r.statusCode() + " " + r.bodyAsString(); // 404 until the final write is done
      } catch (Exception e) {
        last = e.toString();
      }
      await(vertx.timer(300));
    }
    throw new IllegalStateException("closed chat not in the contact history: " + last);
  }

  /** History entries carry participant ids, not kinds: the chat's two parties are known. */
  static List<Entry> fromHistory(JsonArray entries, String customerId, String agentId) {
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      JsonObject e = entries.getJsonObject(i);
      String pid = e.getString("participantId", "");
      ParticipantType kind =
          pid.equals(customerId)
              ? ParticipantType.CLIENT
              : pid.equals(agentId) ? ParticipantType.AGENT : ParticipantType.SYSTEM;
      out.add(
          new Entry(
              e.getLong("index"),
              EntryType.fromWireName(e.getString("type")),
              pid,
              e.getString("nickname"),
              kind,
              e.getString("text"),
              0,
              e.getString("clientMessageId")));
    }
    return out;
  }
}
