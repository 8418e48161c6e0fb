package dev.hachat.gms.config;

import dev.hachat.common.auth.SecurityOptions;
import dev.hachat.common.config.ConfigException;
import dev.hachat.common.config.ConfigLoader;
import dev.hachat.common.config.PortOptions;
import dev.hachat.gms.cometd.CometdOptions;
import dev.hachat.store.StoreOptions;
import dev.hachat.store.UcsOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Everything a web API server can be told; every option appears once in {@code config/webapi.yaml}
 * with its default. Loaded by {@link #loader()} from YAML, {@code GMS_…} environment variables and
 * {@code gms.…} system properties.
 */
public class GmsOptions {
  /** Default {@code http.port}: the port widgets talk to (REST, CometD, the demo page). */
  public static final int DEFAULT_PORT = 8090;

  /** Default {@code max-body-size}: bytes of one REST request body. */
  public static final int DEFAULT_MAX_BODY_SIZE = 64 * 1024;

  /** Default {@code max-parameter-size}: characters of a message, nickname or data value. */
  public static final int DEFAULT_MAX_PARAMETER_SIZE = 8 * 1024;

  /**
   * Default {@code page-items}: most transcript messages in one reply or feed push ({@code
   * refresh}, {@code requestNotifications}, a feed's catch-up); the client asks from {@code
   * nextPosition} for the rest.
   */
  public static final int DEFAULT_PAGE_ITEMS = 200;

  /**
   * Default {@code page-bytes}: most bytes of messages' JSON in one reply or feed push (60 KiB, so
   * that a page fits the 64 KiB WebSocket message a CometD Java client takes by default).
   */
  public static final int DEFAULT_PAGE_BYTES = 60 * 1024;

  private String id = "";
  private PortOptions http = new PortOptions("127.0.0.1", DEFAULT_PORT);
  private int maxBodySize = DEFAULT_MAX_BODY_SIZE;
  private int maxParameterSize = DEFAULT_MAX_PARAMETER_SIZE;
  private int pageItems = DEFAULT_PAGE_ITEMS;
  private int pageBytes = DEFAULT_PAGE_BYTES;
  private StoreOptions store = new StoreOptions();
  private UcsOptions ucs = new UcsOptions();
  private DirectoryOptions directory = new DirectoryOptions();
  private RoutingOptions routing = new RoutingOptions();
  private CometdOptions cometd = new CometdOptions();
  private EdgeOptions edge = new EdgeOptions();
  private SecurityOptions security = new SecurityOptions();
  private boolean widget = true;
  private Map<String, ServiceOptions> services = defaultServices();

  private static Map<String, ServiceOptions> defaultServices() {
    Map<String, ServiceOptions> m = new LinkedHashMap<>();
    m.put("customer-support", new ServiceOptions());
    return m;
  }

  /** The loader: {@code GMS_HTTP_PORT=8091}, {@code -Dgms.http.port=8091}. */
  public static ConfigLoader<GmsOptions> loader() {
    return new ConfigLoader<>(
        GmsOptions.class, GmsOptions::new, GmsOptions::validate, "GMS_", "gms.");
  }

  /** This server's name in logs and in the state table; empty: a random {@code gms-xxxxxxxx}. */
  public String getId() {
    return id;
  }

  /** {@link #getId()}, or a random name when it is empty (chosen once). */
  public String effectiveId() {
    if (id.isEmpty()) {
      id = "gms-" + UUID.randomUUID().toString().substring(0, 8);
    }
    return id;
  }

  public GmsOptions setId(String id) {
    this.id = id;
    return this;
  }

  /** Peer token secrets and operator accounts (docs/security.md). */
  public SecurityOptions getSecurity() {
    return security;
  }

  public GmsOptions setSecurity(SecurityOptions security) {
    this.security = security;
    return this;
  }

  public EdgeOptions getEdge() {
    return edge;
  }

  public GmsOptions setEdge(EdgeOptions edge) {
    this.edge = edge;
    return this;
  }

  public PortOptions getHttp() {
    return http;
  }

  public GmsOptions setHttp(PortOptions http) {
    this.http = http;
    return this;
  }

  public int getMaxBodySize() {
    return maxBodySize;
  }

  public GmsOptions setMaxBodySize(int v) {
    this.maxBodySize = v;
    return this;
  }

  public int getMaxParameterSize() {
    return maxParameterSize;
  }

  public GmsOptions setMaxParameterSize(int v) {
    this.maxParameterSize = v;
    return this;
  }

  public int getPageItems() {
    return pageItems;
  }

  public GmsOptions setPageItems(int v) {
    this.pageItems = v;
    return this;
  }

  public int getPageBytes() {
    return pageBytes;
  }

  public GmsOptions setPageBytes(int v) {
    this.pageBytes = v;
    return this;
  }

  /** Where the instance registry is: the same store the instances use. */
  public StoreOptions getStore() {
    return store;
  }

  public GmsOptions setStore(StoreOptions store) {
    this.store = store;
    return this;
  }

  /** The PostgreSQL of {@code store.type: ucs} ({@code ucs.postgres}); other ucs options unused. */
  public UcsOptions getUcs() {
    return ucs;
  }

  public GmsOptions setUcs(UcsOptions ucs) {
    this.ucs = ucs;
    return this;
  }

  public DirectoryOptions getDirectory() {
    return directory;
  }

  public GmsOptions setDirectory(DirectoryOptions directory) {
    this.directory = directory;
    return this;
  }

  public RoutingOptions getRouting() {
    return routing;
  }

  public GmsOptions setRouting(RoutingOptions routing) {
    this.routing = routing;
    return this;
  }

  /** The CometD (Bayeux) endpoint on the HTTP port, {@code /genesys/cometd} (docs/cometd.md). */
  public CometdOptions getCometd() {
    return cometd;
  }

  public GmsOptions setCometd(CometdOptions cometd) {
    this.cometd = cometd;
    return this;
  }

  /** Serve the demo widget page at {@code /} (default true). */
  public boolean isWidget() {
    return widget;
  }

  public GmsOptions setWidget(boolean widget) {
    this.widget = widget;
    return this;
  }

  /** The chat services by name; a request for another name is refused (statusCode 2). */
  public Map<String, ServiceOptions> getServices() {
    return services;
  }

  public GmsOptions setServices(Map<String, ServiceOptions> services) {
    this.services = services;
    return this;
  }

  public GmsOptions validate() {
    ConfigException.check(
        id != null && id.matches("[A-Za-z0-9._-]{0,64}"), "id", "0-64 of A-Z a-z 0-9 . _ -");
    http.validate("http");
    ConfigException.check(maxBodySize >= 1024, "max-body-size", "must be >= 1024 bytes");
    ConfigException.check(maxParameterSize >= 16, "max-parameter-size", "must be >= 16");
    ConfigException.check(pageItems >= 1, "page-items", "must be >= 1");
    ConfigException.check(
        pageBytes >= 1024 && pageBytes <= 1024 * 1024,
        "page-bytes",
        "must be 1024 to 1048576 bytes");
    store.validate();
    if (store.getType() == StoreOptions.Type.MEMORY) {
      throw new ConfigException(
          "store.type", "the web API server reads the shared instance registry: cassandra or ucs");
    }
    ucs.validate();
    directory.validate();
    ConfigException.check(edge != null, "edge", "missing");
    edge.validate();
    ConfigException.check(security != null, "security", "missing");
    security.validate();
    security.refuseOpenBeyondLoopback(java.util.Map.of("http.host", http.getHost()));
    routing.validate();
    validateCometd();
    ConfigException.check(
        services != null && !services.isEmpty(), "services", "at least one service is needed");
    services.forEach(
        (name, s) ->
            ConfigException.check(
                name.matches("[A-Za-z0-9_.-]{1,64}") && s != null,
                "services." + name,
                "a service name is 1-64 of A-Z a-z 0-9 _ . -"));
    return this;
  }

  private void validateCometd() {
    ConfigException.check(cometd != null, "cometd", "must be an object");
    String path = cometd.getPath();
    ConfigException.check(
        path != null && path.startsWith("/") && path.length() > 1 && !path.endsWith("/"),
        "cometd.path",
        "must start with / and not end with /");
    ConfigException.check(cometd.getTimeoutMs() >= 1, "cometd.timeout-ms", "must be >= 1 ms");
    ConfigException.check(cometd.getIntervalMs() >= 0, "cometd.interval-ms", "must be >= 0 ms");
    ConfigException.check(
        cometd.getMaxIntervalMs() >= 1, "cometd.max-interval-ms", "must be >= 1 ms");
    ConfigException.check(cometd.getMaxQueue() >= 1, "cometd.max-queue", "must be >= 1");
    ConfigException.check(
        cometd.getMaxQueuedBytes() >= Math.max(65_536, 2L * pageBytes),
        "cometd.max-queued-bytes",
        "must be >= 65536 and >= twice page-bytes (a client must hold two pages)");
    ConfigException.check(
        cometd.getMaxMessageSize() >= 1024, "cometd.max-message-size", "must be >= 1024 bytes");
  }
}
