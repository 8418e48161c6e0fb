package dev.hachat.common.config;

/** Where one of the instance's listeners binds. Port 0 picks a free port (printed on start). */
public class PortOptions {
  private String host;
  private int port;
  private TlsOptions tls = new TlsOptions();

  public PortOptions() {
    this("127.0.0.1", 0);
  }

  public PortOptions(String host, int port) {
    this.host = host;
    this.port = port;
  }

  public String getHost() {
    return host;
  }

  public PortOptions setHost(String host) {
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  public PortOptions setPort(int port) {
    this.port = port;
    return this;
  }

  /** TLS of this port ({@code <port>.tls.cert-file}, {@code .key-file}); off by default. */
  public TlsOptions getTls() {
    return tls;
  }

  public PortOptions setTls(TlsOptions tls) {
    this.tls = tls;
    return this;
  }

  public void validate(String prefix) {
    ConfigException.check(host != null && !host.isBlank(), prefix + ".host", "must not be empty");
    ConfigException.check(port >= 0 && port <= 65535, prefix + ".port", "must be 0..65535");
    ConfigException.check(tls != null, prefix + ".tls", "missing");
    tls.validate(prefix + ".tls");
  }
}
