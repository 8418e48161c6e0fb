package dev.hachat.systemtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One web agent desktop ({@code /desktop} of an interaction server) in its own headless Chromium,
 * driven through {@link BrowserDriver}: what a test does on it and reads off it, by the page's
 * selectors (docs/desktop.md). A chat's panel is {@link #panel}.
 */
final class DesktopPage implements AutoCloseable {
  final BrowserDriver page;

  private DesktopPage(BrowserDriver page) {
    this.page = page;
  }

  /** Opens the desktop of the interaction server on {@code port}, in a wide viewport. */
  static DesktopPage open(int port) throws Exception {
    DesktopPage d = new DesktopPage(BrowserDriver.open("http://127.0.0.1:" + port + "/desktop"));
    d.page.call("viewport", "width", 1100, "height", 900);
    return d;
  }

  /** The selector of a chat's panel. */
  static String panel(String chatId) {
    return ".panel[data-chat-id='" + chatId + "']";
  }

  JsonObject call(String cmd, Object... fields) throws Exception {
    return page.call(cmd, fields);
  }

  /** Logs in (open mode: the agent id is enough) and waits for the desk. */
  DesktopPage login(String agentId, String nickname) throws Exception {
    page.call("fill", "selector", "#agent-id", "value", agentId);
    page.call("fill", "selector", "#nickname", "value", nickname);
    page.call("click", "selector", "#login");
    page.call("waitForSelector", "selector", "#desk:not([hidden])", "timeoutMs", 15_000);
    return this;
  }

  DesktopPage ready() throws Exception {
    page.call("select", "selector", "#state", "value", "Ready");
    page.call("click", "selector", "#set-state");
    page.call("waitForSelector", "selector", "#state-now[data-state='Ready']");
    return this;
  }

  /** Types {@code text} into the chat's message box and presses Enter. */
  void send(String panel, String text) throws Exception {
    page.call("fill", "selector", panel + " textarea.message", "value", text);
    page.call("press", "selector", panel + " textarea.message", "key", "Enter");
  }

  /**
   * Waits until the chat's panel shows a delivered message bubble of {@code kind} (classes, e.g.
   * {@code client} or {@code agent.internal}) with {@code text}.
   */
  void awaitMessage(String panel, String kind, String text, long timeoutMs) throws Exception {
    page.call(
        "waitForSelector",
        "selector",
        panel
            + " li.msg."
            + kind
            + "[data-index]:not(.pending) .text:text-is("
            + quoted(text)
            + ")",
        "timeoutMs",
        timeoutMs);
  }

  List<String> texts(String selector) throws Exception {
    return list(page, selector, "e.textContent");
  }

  List<String> list(String selector, String expr) throws Exception {
    return list(page, selector, expr);
  }

  /** {@code expr} (of {@code e}) for every element matching {@code selector}, as strings. */
  static List<String> list(BrowserDriver page, String selector, String expr) throws Exception {
    JsonArray a =
        page.call(
                "eval",
                "expression",
                "[...document.querySelectorAll("
                    + quoted(selector)
                    + ")].map((e) => String("
                    + expr
                    + "))")
            .getJsonArray("value");
    return a.stream().map(String.class::cast).toList();
  }

  /** A JavaScript (JSON) string literal. */
  static String quoted(String s) {
    return new JsonArray().add(s).encode().replaceAll("^\\[|\\]$", "");
  }

  @Override
  public void close() throws InterruptedException {
    page.close();
  }
}
