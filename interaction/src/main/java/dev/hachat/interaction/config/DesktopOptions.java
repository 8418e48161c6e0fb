package dev.hachat.interaction.config;

import dev.hachat.common.config.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the web agent desktop offers its agents ({@code desktop.*}; docs/desktop.md): canned
 * responses to insert into the message box and the disposition codes of the close dialog. The
 * server hands both to each desktop in its login reply, so only a logged-in agent reads them.
 */
public class DesktopOptions {
  /** Default {@code canned-responses}: a few greetings and closings. */
  public static final List<String> DEFAULT_CANNED_RESPONSES =
      List.of(
          "Hello, thank you for contacting us. How can I help you?",
          "One moment please, I am checking that for you.",
          "Is there anything else I can help you with?",
          "Thank you for chatting with us. Have a good day!");

  /** Default {@code dispositions}: the close dialog's codes (free text is allowed too). */
  public static final List<String> DEFAULT_DISPOSITIONS =
      List.of("resolved", "follow-up", "escalated", "no-answer");

  /** Most canned responses or dispositions a list may hold. */
  public static final int MAX_ITEMS = 200;

  /** Longest canned response: a customer message's limit is 4000 characters. */
  public static final int MAX_RESPONSE_LENGTH = 4000;

  /** Longest disposition code. */
  public static final int MAX_DISPOSITION_LENGTH = 64;

  private List<String> cannedResponses = new ArrayList<>(DEFAULT_CANNED_RESPONSES);
  private List<String> dispositions = new ArrayList<>(DEFAULT_DISPOSITIONS);

  /** Texts an agent can insert into the message box with one click; empty: none. */
  public List<String> getCannedResponses() {
    return cannedResponses;
  }

  public DesktopOptions setCannedResponses(List<String> texts) {
    this.cannedResponses = texts;
    return this;
  }

  /** Disposition codes the close dialog offers; empty: free text only. */
  public List<String> getDispositions() {
    return dispositions;
  }

  public DesktopOptions setDispositions(List<String> codes) {
    this.dispositions = codes;
    return this;
  }

  void validate() {
    check(cannedResponses, "desktop.canned-responses", MAX_RESPONSE_LENGTH);
    check(dispositions, "desktop.dispositions", MAX_DISPOSITION_LENGTH);
  }

  private static void check(List<String> items, String name, int maxLength) {
    ConfigException.check(items != null, name, "must be a list");
    ConfigException.check(items.size() <= MAX_ITEMS, name, "at most " + MAX_ITEMS + " items");
    for (String s : items) {
      ConfigException.check(
          s != null && !s.isBlank() && s.length() <= maxLength && s.indexOf('\0') < 0,
          name,
          "each item a non-empty string of at most " + maxLength + " characters");
    }
  }
}
