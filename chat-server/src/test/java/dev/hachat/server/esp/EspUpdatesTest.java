package dev.hachat.server.esp;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.esp.client.EspClient;
import dev.hachat.esp.client.WaitingChat;
import dev.hachat.server.session.Joined;
import dev.hachat.server.session.Session;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.UserData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** What agents see of the customer's nickname and user data updates. */
class EspUpdatesTest extends EspTestBase {

  @Test
  void a_waiting_chat_is_announced_again_with_the_new_nickname_and_user_data() throws Exception {
    EspClient eve = agent("a2", "Eve");
    List<WaitingChat> waiting = new CopyOnWriteArrayList<>();
    eve.onChatWaiting(waiting::add);
    Joined c = customer();
    Session s = session(c);
    Awaitility.await().until(() -> waiting.size() == 1);

    await(s.updateNickname(c.participantId(), c.secureKey(), "Annie"));
    await(s.updateData(c.participantId(), c.secureKey(), Map.of("order", "B-2", "tier", "gold")));
    Awaitility.await()
        .untilAsserted(
            () ->
                assertThat(waiting)
                    .last()
                    .satisfies(
                        w -> {
                          assertThat(w.chatId()).isEqualTo(c.chatId());
                          assertThat(w.customer()).isEqualTo("Annie");
                          assertThat(w.userData())
                              .isEqualTo(Map.of("order", "B-2", "tier", "gold"));
                        }));
    assertThat(await(eve.listWaiting()))
        .singleElement()
        .satisfies(w -> assertThat(w.userData()).containsEntry("tier", "gold"));
  }

  @Test
  void the_agent_receives_update_entries_like_any_other() throws Exception {
    EspClient bob = agent("a1", "Bob");
    List<Entry> seen = new CopyOnWriteArrayList<>();
    bob.onEntry((chatId, e) -> seen.add(e));
    Joined c = customer();
    Session s = session(c);
    await(bob.accept(c.chatId()));

    Entry renamed = await(s.updateNickname(c.participantId(), c.secureKey(), "Annie"));
    Entry data = await(s.updateData(c.participantId(), c.secureKey(), Map.of("order", "B-2")));
    Awaitility.await().untilAsserted(() -> assertThat(seen).containsExactly(renamed, data));
    assertThat(seen.get(0).type()).isEqualTo(EntryType.NICKNAME_UPDATED);
    assertThat(UserData.decode(seen.get(1).text())).isEqualTo(Map.of("order", "B-2"));
    assertThat(await(bob.refresh(c.chatId(), 2)).entries()).containsExactly(renamed, data);
  }
}
