package dev.hachat.server.config;

import dev.hachat.common.auth.SecurityOptions;
import dev.hachat.common.config.ConfigException;
import dev.hachat.common.config.ConfigLoader;
import dev.hachat.store.StoreOptions;
import dev.hachat.store.UcsOptions;

/**
 * All options of one chat-server instance, grouped in sub-options. Defaults favour safety:
 * transcripts are saved before a message is acknowledged.
 */
public class ChatServerOptions {
  /** Default {@code instance-id}: empty means a random id is chosen at start. */
  public static final String DEFAULT_INSTANCE_ID = "";

  private String instanceId = DEFAULT_INSTANCE_ID;
  private WebApiPortOptions webapi = new WebApiPortOptions();
  private EspPortOptions esp = new EspPortOptions();
  private AdminPortOptions admin = new AdminPortOptions();
  private SessionOptions session = new SessionOptions();
  private TranscriptOptions transcript = new TranscriptOptions();
  private StoreOptions store = new StoreOptions();
  private HaOptions ha = new HaOptions();
  private UcsOptions ucs = new UcsOptions();
  private OpsOptions ops = new OpsOptions();
  private SecurityOptions security = new SecurityOptions();
  private RoomOptions rooms = new RoomOptions();

  public String getInstanceId() {
    return instanceId;
  }

  public ChatServerOptions setInstanceId(String instanceId) {
    this.instanceId = instanceId == null ? "" : instanceId;
    return this;
  }

  public WebApiPortOptions getWebapi() {
    return webapi;
  }

  public ChatServerOptions setWebapi(WebApiPortOptions webapi) {
    this.webapi = webapi;
    return this;
  }

  public EspPortOptions getEsp() {
    return esp;
  }

  public ChatServerOptions setEsp(EspPortOptions esp) {
    this.esp = esp;
    return this;
  }

  public AdminPortOptions getAdmin() {
    return admin;
  }

  public ChatServerOptions setAdmin(AdminPortOptions admin) {
    this.admin = admin;
    return this;
  }

  public SessionOptions getSession() {
    return session;
  }

  public ChatServerOptions setSession(SessionOptions session) {
    this.session = session;
    return this;
  }

  public TranscriptOptions getTranscript() {
    return transcript;
  }

  public ChatServerOptions setTranscript(TranscriptOptions transcript) {
    this.transcript = transcript;
    return this;
  }

  public StoreOptions getStore() {
    return store;
  }

  public ChatServerOptions setStore(StoreOptions store) {
    this.store = store;
    return this;
  }

  public UcsOptions getUcs() {
    return ucs;
  }

  public ChatServerOptions setUcs(UcsOptions ucs) {
    this.ucs = ucs;
    return this;
  }

  public HaOptions getHa() {
    return ha;
  }

  public ChatServerOptions setHa(HaOptions ha) {
    this.ha = ha;
    return this;
  }

  public OpsOptions getOps() {
    return ops;
  }

  public ChatServerOptions setOps(OpsOptions ops) {
    this.ops = ops;
    return this;
  }

  /** Accounts and token secrets of the ESP, admin and peer calls (docs/security.md). */
  public RoomOptions getRooms() {
    return rooms;
  }

  public ChatServerOptions setRooms(RoomOptions rooms) {
    this.rooms = rooms;
    return this;
  }

  public SecurityOptions getSecurity() {
    return security;
  }

  public ChatServerOptions setSecurity(SecurityOptions security) {
    this.security = security;
    return this;
  }

  /** The instance's loader: variables {@code HACHAT_…}, system properties {@code hachat.…}. */
  public static ConfigLoader<ChatServerOptions> loader() {
    return new ConfigLoader<>(
        ChatServerOptions.class,
        ChatServerOptions::new,
        ChatServerOptions::validate,
        "HACHAT_",
        "hachat.");
  }

  /** Checks every option; throws {@link ConfigException} naming the first bad one. */
  public ChatServerOptions validate() {
    ConfigException.check(
        instanceId.isEmpty() || instanceId.matches("[A-Za-z0-9._-]{1,64}"),
        "instance-id",
        "1-64 characters of A-Z a-z 0-9 . _ -");
    ConfigException.check(webapi != null, "webapi", "missing");
    ConfigException.check(esp != null, "esp", "missing");
    ConfigException.check(admin != null, "admin", "missing");
    ConfigException.check(session != null, "session", "missing");
    ConfigException.check(transcript != null, "transcript", "missing");
    ConfigException.check(store != null, "store", "missing");
    webapi.validate("webapi");
    esp.validate("esp");
    admin.validate("admin");
    session.validate();
    transcript.validate();
    store.validate();
    ConfigException.check(ha != null, "ha", "missing");
    ha.validate();
    ConfigException.check(ucs != null, "ucs", "missing");
    ucs.validate();
    ConfigException.check(ops != null, "ops", "missing");
    ops.validate();
    ConfigException.check(
        store.getType() != StoreOptions.Type.UCS || ucs.isEnabled(),
        "store.type",
        "ucs needs ucs.enabled: true (the PostgreSQL connection is ucs.postgres)");
    ConfigException.check(rooms != null, "rooms", "missing");
    rooms.validate();
    ConfigException.check(security != null, "security", "missing");
    security.validate();
    java.util.Map<String, String> hosts = new java.util.LinkedHashMap<>();
    hosts.put("webapi.host", webapi.getHost());
    hosts.put("esp.host", esp.getHost());
    hosts.put("admin.host", admin.getHost());
    security.refuseOpenBeyondLoopback(hosts);
    return this;
  }
}
