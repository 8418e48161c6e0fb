package dev.hachat.server.config;

import dev.hachat.common.config.PortOptions;

/** The ESP (agent / interaction side) listener. */
public class EspPortOptions extends PortOptions {
  /** Default {@code esp.token}: empty means ESP clients log in without a token. */
  public static final String DEFAULT_TOKEN = "";

  private String token = DEFAULT_TOKEN;

  public EspPortOptions() {
    super("127.0.0.1", 9081);
  }

  /** A shared secret ESP clients must present at login; empty disables the check. */
  public String getToken() {
    return token;
  }

  public EspPortOptions setToken(String token) {
    this.token = token == null ? "" : token;
    return this;
  }

  @Override
  public EspPortOptions setHost(String host) {
    super.setHost(host);
    return this;
  }

  @Override
  public EspPortOptions setPort(int port) {
    super.setPort(port);
    return this;
  }
}
