package dev.hachat.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a local PostgreSQL for {@code scripts/postgres}: {@code LocalPostgres PORT DATA_DIR}. Prints
 * {@code POSTGRES READY …} once it accepts connections and keeps it running until this process gets
 * SIGTERM, which stops PostgreSQL cleanly (its data stays in DATA_DIR).
 */
public final class LocalPostgres {
  private LocalPostgres() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: LocalPostgres PORT DATA_DIR");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    Path dir = Path.of(args[1]).toAbsolutePath();
    Files.createDirectories(dir);
    EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setPort(port)
            .setDataDirectory(dir)
            .setCleanDataDirectory(false)
            .start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    pg.close();
                  } catch (Exception e) {
                    System.err.println("postgres: stop failed: " + e);
                  }
                  stopped.countDown();
                }));
    System.out.println(
        "POSTGRES READY host=127.0.0.1 port="
            + port
            + " user=postgres database=postgres pid="
            + ProcessHandle.current().pid());
    System.out.flush();
    stopped.await();
  }
}
