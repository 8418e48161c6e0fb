package dev.hachat.server;

import java.lang.reflect.Proxy;

/**
 * Lets the process see every SIGTERM, not only the first: the JVM's own handling runs the shutdown
 * hooks once and ignores the rest, but the graceful stop must give way to a second SIGTERM. Uses
 * {@code sun.misc.Signal} (module {@code jdk.unsupported}), reached by reflection so the build
 * stays free of internal-API warnings; where it is missing the JVM's default applies (shutdown
 * hook).
 */
final class TermSignal {
  private TermSignal() {}

  /**
   * Runs {@code onTerm} on every SIGTERM (on the JVM's signal thread: keep it short). Returns false
   * if the handler could not be installed.
   */
  static boolean install(Runnable onTerm) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Object signal = signalClass.getConstructor(String.class).newInstance("TERM");
      Object handler =
          Proxy.newProxyInstance(
              handlerClass.getClassLoader(),
              new Class<?>[] {handlerClass},
              (proxy, method, args) -> {
                switch (method.getName()) {
                  case "handle":
                    onTerm.run();
                    return null;
                  case "hashCode":
                    return System.identityHashCode(proxy);
                  case "equals":
                    return proxy == args[0];
                  default:
                    return "hachat-sigterm-handler";
                }
              });
      signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
