package dev.hachat.ctl;

/** {@code java -jar ctl-all.jar …}, which {@code scripts/hachatctl} runs. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(HachatCtl.commandLine(System.getenv()).execute(args));
  }
}
