package dev.hachat.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A process whose clock is off the machine's by a fixed offset, through libfaketime ({@code
 * test/ops/install.sh libfaketime} installs it): the command prefix {@code env LD_PRELOAD=…
 * FAKETIME=+5s}, which execs, so the PID stays the process's own.
 *
 * <p>libfaketime moves the JVM's wall clock ({@code System.currentTimeMillis}, {@code Instant}, the
 * Cassandra driver's clock) and, by the same offset, its monotonic clock: a constant offset changes
 * no interval measured on it, and leaving the monotonic clock alone ({@code
 * FAKETIME_DONT_FAKE_MONOTONIC}) breaks the JVM's timed waits, which then return at once (measured
 * on libfaketime 0.9.10 with Java 17). The offset therefore stays fixed for the process's life; a
 * clock that changes under a running process is tested as a restart with another offset.
 */
public final class FakeClock {
  private FakeClock() {}

  /** The prefix that runs a command with its clock {@code offset} ({@code +5s}) off. */
  public static List<String> prefix(String offset) {
    if (!offset.matches("[+-]\\d+s")) {
      throw new IllegalArgumentException("clock offset " + offset + ": +Ns or -Ns");
    }
    return List.of("env", "LD_PRELOAD=" + library(), "FAKETIME=" + offset);
  }

  /** libfaketime's single-threaded library, wherever the machine's multiarch puts it. */
  static Path library() {
    try (Stream<Path> dirs = Files.list(Path.of("/usr/lib"))) {
      return dirs.map(d -> d.resolve("faketime/libfaketime.so.1"))
          .filter(Files::isRegularFile)
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no /usr/lib/*/faketime/libfaketime.so.1: run test/ops/install.sh"
                          + " libfaketime"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
