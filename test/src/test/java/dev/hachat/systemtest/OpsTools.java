package dev.hachat.systemtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The operations tools of the live tests (Prometheus, promtool, HAProxy), installed from Debian's
 * packages by {@code test/ops/install.sh} when missing. A test that needs one calls {@link
 * #install} first; when the tool cannot be installed the test fails with the installer's message,
 * it never skips.
 */
public final class OpsTools {
  private OpsTools() {}

  /** Installs {@code tools} ({@code prometheus}, {@code haproxy}) when missing. */
  public static void install(String... tools) throws IOException, InterruptedException {
    Path log = InstanceProcess.home().resolve("test/target/ops-install.log");
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(InstanceProcess.home().resolve("test/ops/install.sh").toString());
    command.addAll(List.of(tools));
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean done = p.waitFor(15, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String out = Files.readString(log);
    if (!done || p.exitValue() != 0) {
      throw new AssertionError(
          "cannot install "
              + String.join(", ", tools)
              + " (test/ops/install.sh"
              + (done ? "" : " timed out after 15 minutes")
              + "):\n"
              + out);
    }
    System.out.print(out);
  }
}
