package dev.hachat.esp.client;

/** Where and how an {@link EspClient} connects. */
public class EspClientOptions {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 9081;

  /** Default milliseconds a request waits for its reply before it fails. */
  public static final long DEFAULT_REQUEST_TIMEOUT = 10_000;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private long requestTimeout = DEFAULT_REQUEST_TIMEOUT;
  private String tlsTrustFile = "";

  /** PEM CA certificates to trust: the ESP port uses TLS ({@code wss}); empty: plain text. */
  public String getTlsTrustFile() {
    return tlsTrustFile;
  }

  public EspClientOptions setTlsTrustFile(String path) {
    this.tlsTrustFile = path == null ? "" : path;
    return this;
  }

  public String getHost() {
    return host;
  }

  public EspClientOptions setHost(String host) {
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  public EspClientOptions setPort(int port) {
    this.port = port;
    return this;
  }

  public long getRequestTimeout() {
    return requestTimeout;
  }

  public EspClientOptions setRequestTimeout(long millis) {
    this.requestTimeout = millis;
    return this;
  }
}
