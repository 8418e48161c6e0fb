package dev.hachat.common.config;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS of one listening port ({@code <port>.tls.*}): a PEM certificate chain and its PEM private
 * key. Both empty (the default): the port speaks plain text.
 */
public class TlsOptions {
  private String certFile = "";
  private String keyFile = "";

  public String getCertFile() {
    return certFile;
  }

  public TlsOptions setCertFile(String path) {
    this.certFile = path == null ? "" : path;
    return this;
  }

  public String getKeyFile() {
    return keyFile;
  }

  public TlsOptions setKeyFile(String path) {
    this.keyFile = path == null ? "" : path;
    return this;
  }

  /** Whether the port uses TLS. */
  public boolean on() {
    return !certFile.isEmpty();
  }

  public void validate(String prefix) {
    ConfigException.check(
        certFile.isEmpty() == keyFile.isEmpty(),
        prefix + (certFile.isEmpty() ? ".cert-file" : ".key-file"),
        "set both cert-file and key-file, or neither");
    if (on()) {
      ConfigException.check(
          Files.isReadable(Path.of(certFile)), prefix + ".cert-file", "cannot read " + certFile);
      ConfigException.check(
          Files.isReadable(Path.of(keyFile)), prefix + ".key-file", "cannot read " + keyFile);
    }
  }

  /** {@code options} with TLS on when this port has a certificate; unchanged otherwise. */
  public HttpServerOptions apply(HttpServerOptions options) {
    if (on()) {
      options
          .setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certFile).setKeyPath(keyFile));
    }
    return options;
  }
}
