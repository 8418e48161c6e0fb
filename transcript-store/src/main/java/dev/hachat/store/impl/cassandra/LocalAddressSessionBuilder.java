package dev.hachat.store.impl.cassandra;

import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.context.DriverContext;
import com.datastax.oss.driver.api.core.session.ProgrammaticArguments;
import com.datastax.oss.driver.internal.core.context.DefaultDriverContext;
import com.datastax.oss.driver.internal.core.context.DefaultNettyOptions;
import com.datastax.oss.driver.internal.core.context.NettyOptions;
import io.netty.bootstrap.Bootstrap;
import java.net.InetSocketAddress;

/**
 * A session builder whose connections all come from one local address ({@code
 * store.cassandra.local-address}), any port: the driver's documented extension point, its {@link
 * NettyOptions}, binds every channel's bootstrap before it connects.
 */
final class LocalAddressSessionBuilder extends CqlSessionBuilder {
  private final String localAddress;

  LocalAddressSessionBuilder(String localAddress) {
    this.localAddress = localAddress;
  }

  @Override
  protected DriverContext buildContext(
      DriverConfigLoader configLoader, ProgrammaticArguments programmaticArguments) {
    String address = localAddress;
    return new DefaultDriverContext(configLoader, programmaticArguments) {
      @Override
      protected NettyOptions buildNettyOptions() {
        return new DefaultNettyOptions(this) {
          @Override
          public void afterBootstrapInitialized(Bootstrap bootstrap) {
            super.afterBootstrapInitialized(bootstrap);
            bootstrap.localAddress(new InetSocketAddress(address, 0));
          }
        };
      }
    };
  }
}
