package dev.hachat.server.config;

/** Which transcript store the instance uses. */
public class StoreOptions {
  /** The available backends. */
  public enum Type {
    /** In-process only: for a quick look and unit tests; a crash loses everything. */
    MEMORY
  }

  public static final Type DEFAULT_TYPE = Type.MEMORY;

  private Type type = DEFAULT_TYPE;

  public Type getType() {
    return type;
  }

  public StoreOptions setType(Type type) {
    this.type = type;
    return this;
  }

  void validate() {
    ConfigException.check(type != null, "store.type", "must be one of memory");
  }
}
