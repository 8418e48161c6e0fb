package dev.hachat.server.config;

import dev.hachat.common.config.PortOptions;

/**
 * The ESP (agent / interaction side) listener. Who may log in is {@code security.*} (the old shared
 * {@code esp.token} is gone: docs/security.md).
 */
public class EspPortOptions extends PortOptions {
  public EspPortOptions() {
    super("127.0.0.1", 9081);
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
