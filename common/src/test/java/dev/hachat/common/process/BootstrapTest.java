package dev.hachat.common.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.config.ConfigException;
import dev.hachat.common.config.ConfigLoader;
import io.vertx.core.Future;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BootstrapTest {

  /** Options of a test process: one number that must be positive. */
  static class Opts {
    private int size = 3;
    private String password = "";
    private Nested store = new Nested();

    static class Nested {
      private String userPassword = "hunter2";
      private String host = "db";
    }

    Opts validate() {
      ConfigException.check(size > 0, "size", "must be > 0");
      return this;
    }
  }

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final AtomicBoolean started = new AtomicBoolean();

  private ConfigLoader<Opts> loader() {
    return new ConfigLoader<>(Opts.class, Opts::new, Opts::validate, "BOOTTEST_", "boottest.");
  }

  private int run(boolean printConfig, Future<String> start) throws Exception {
    return Bootstrap.run(
        "proc",
        loader(),
        null,
        printConfig,
        new Bootstrap.Process<Opts, String>() {
          @Override
          public Future<String> start(Opts options) {
            started.set(true);
            return start;
          }

          @Override
          public int serve(Opts options, String s) {
            return 7;
          }
        },
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void bad_config_exits_2_naming_the_option_without_starting() throws Exception {
    System.setProperty("boottest.size", "0");
    try {
      assertThat(run(false, Future.succeededFuture("x"))).isEqualTo(Bootstrap.EXIT_BAD_CONFIG);
    } finally {
      System.clearProperty("boottest.size");
    }
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("proc: option 'size'");
    assertThat(started).isFalse();
  }

  @Test
  void print_config_prints_yaml_and_exits_0_without_starting() throws Exception {
    assertThat(run(true, Future.succeededFuture("x"))).isEqualTo(Bootstrap.EXIT_OK);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo("size: 3\npassword: \"\"\nstore:\n  user-password: <redacted>\n  host: db\n")
        .doesNotContain("hunter2");
    assertThat(started).isFalse();
  }

  @Test
  void failed_start_exits_1_with_the_cause() throws Exception {
    assertThat(run(false, Future.failedFuture("port in use")))
        .isEqualTo(Bootstrap.EXIT_START_FAILED);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("proc: could not start:", "port in use");
  }

  @Test
  void started_process_returns_its_own_exit_code() throws Exception {
    assertThat(run(false, Future.succeededFuture("x"))).isEqualTo(7);
  }
}
