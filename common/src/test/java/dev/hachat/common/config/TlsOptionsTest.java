package dev.hachat.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsOptionsTest {
  @TempDir Path dir;

  @Test
  void off_by_default_and_leaves_the_server_plain() {
    TlsOptions tls = new TlsOptions();
    tls.validate("esp.tls");
    assertThat(tls.on()).isFalse();
    assertThat(tls.apply(new HttpServerOptions()).isSsl()).isFalse();
  }

  @Test
  void a_certificate_needs_its_key_and_readable_files() throws Exception {
    Path cert = Files.writeString(dir.resolve("c.pem"), "x");
    assertThatThrownBy(() -> new TlsOptions().setCertFile(cert.toString()).validate("esp.tls"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("esp.tls.key-file");
    assertThatThrownBy(
            () ->
                new TlsOptions()
                    .setCertFile(cert.toString())
                    .setKeyFile(dir.resolve("missing.pem").toString())
                    .validate("admin.tls"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("admin.tls.key-file");
    TlsOptions both = new TlsOptions().setCertFile(cert.toString()).setKeyFile(cert.toString());
    both.validate("webapi.tls");
    assertThat(both.apply(new HttpServerOptions()).isSsl()).isTrue();
  }
}
