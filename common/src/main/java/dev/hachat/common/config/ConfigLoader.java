package dev.hachat.common.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads an options object: an optional YAML file, then environment variables {@code <ENV><PATH>}
 * (for the instance e.g. {@code HACHAT_SESSION_LIMIT_FOR_SESSIONS}), then system properties {@code
 * <prefix>.<path>} (e.g. {@code hachat.session.limit-for-sessions}); later sources win. Every
 * problem is a {@link ConfigException} naming the option. Each process makes its own loader with
 * its own prefixes (the instance's is {@code ChatServerOptions.loader()}). A field marked {@link
 * DurationUnit} takes {@code 30s}, {@code 500ms}, {@code PT5M} or a bare number in its unit, in the
 * file and in overrides alike, and is printed with a unit ({@link Durations}).
 *
 * @param <T> the options class: Jackson-mapped fields, a no-argument constructor with the defaults
 */
public final class ConfigLoader<T> {
  private final String envPrefix;
  private final String propPrefix;
  private final Class<T> type;
  private final java.util.function.Supplier<T> defaults;
  private final java.util.function.UnaryOperator<T> validate;
  private volatile Set<String> durationPaths;

  private final ObjectMapper mapper =
      JsonMapper.builder(
              new YAMLFactory()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
          .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
          .visibility(PropertyAccessor.ALL, Visibility.NONE)
          .visibility(PropertyAccessor.FIELD, Visibility.ANY)
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .addModule(new DurationModule())
          .build();

  /**
   * A loader of {@code type} options from variables {@code envPrefix…} and properties {@code
   * propPrefix…}; {@code validate} checks a loaded object (throws {@link ConfigException}).
   */
  public ConfigLoader(
      Class<T> type,
      java.util.function.Supplier<T> defaults,
      java.util.function.UnaryOperator<T> validate,
      String envPrefix,
      String propPrefix) {
    this.type = type;
    this.defaults = defaults;
    this.validate = validate;
    this.envPrefix = envPrefix;
    this.propPrefix = propPrefix;
  }

  /** Loads from a file (may be {@code null}), the process environment and system properties. */
  public T load(Path file) {
    Map<String, String> props = new LinkedHashMap<>();
    System.getProperties().forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
    return load(file, System.getenv(), props);
  }

  /** Loads with explicit override sources (tests). */
  public T load(Path file, Map<String, String> env, Map<String, String> props) {
    ObjectNode tree = readFile(file);
    Map<String, String> known = leafPaths();
    JsonNode defaultTree = mapper.valueToTree(defaults.get());
    Map<String, String> envNames = new LinkedHashMap<>();
    known.keySet().forEach(p -> envNames.put(envName(envPrefix, p), p));
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey().startsWith(envPrefix)) {
        String path = envNames.get(e.getKey());
        if (path == null) {
          throw new ConfigException("unknown option in environment variable '" + e.getKey() + "'");
        }
        set(tree, path, e.getValue(), defaultTree);
      }
    }
    for (Map.Entry<String, String> p : props.entrySet()) {
      if (p.getKey().startsWith(propPrefix)) {
        String path = p.getKey().substring(propPrefix.length());
        if (!known.containsKey(path)) {
          throw new ConfigException(
              "unknown option '" + path + "' (system property " + p.getKey() + ")");
        }
        set(tree, path, p.getValue(), defaultTree);
      }
    }
    try {
      return validate.apply(mapper.treeToValue(tree, type));
    } catch (JsonMappingException e) {
      throw translate(e);
    } catch (JsonProcessingException e) {
      throw new ConfigException("cannot read configuration: " + e.getOriginalMessage());
    }
  }

  /** What {@link #toRedactedYaml} shows instead of a secret's value. */
  public static final String REDACTED = "<redacted>";

  private static final java.util.regex.Pattern SECRET =
      java.util.regex.Pattern.compile("(?i).*(password|secret|token|private-key).*");

  /**
   * The options as YAML, as {@code --print-config} shows them: every non-empty value of an option
   * whose name says it is a secret (password, secret, token, private key) is {@link #REDACTED};
   * durations ({@code security.token-ttl}) are not secrets.
   */
  public String toRedactedYaml(T options) {
    JsonNode tree = mapper.valueToTree(options);
    redact(tree, "", durationPaths());
    try {
      return mapper.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void redact(JsonNode node, String prefix, Set<String> durations) {
    if (node instanceof ObjectNode o) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode v = o.get(name);
        String path = prefix.isEmpty() ? name : prefix + "." + name;
        boolean secret = SECRET.matcher(name).matches() && !durations.contains(path);
        if (secret && v.isTextual() && !v.asText().isEmpty()) {
          o.put(name, REDACTED);
        } else if (secret && v.isArray() && !v.isEmpty()) {
          o.putArray(name).add(REDACTED);
        } else {
          redact(v, path, durations);
        }
      }
    } else if (node != null && node.isArray()) {
      node.forEach(n -> redact(n, prefix, durations));
    }
  }

  /** The paths of the options that are durations (fields marked {@link DurationUnit}). */
  public Set<String> durationPaths() {
    if (durationPaths == null) {
      Set<String> out = new LinkedHashSet<>();
      durationPaths(mapper.constructType(type), "", out);
      durationPaths = Set.copyOf(out);
    }
    return durationPaths;
  }

  private void durationPaths(JavaType bean, String prefix, Set<String> out) {
    for (BeanPropertyDefinition p :
        mapper.getSerializationConfig().introspect(bean).findProperties()) {
      AnnotatedMember m = p.getAccessor();
      String path = prefix.isEmpty() ? p.getName() : prefix + "." + p.getName();
      if (m == null) {
        continue;
      }
      JavaType t = m.getType();
      if (m.hasAnnotation(DurationUnit.class)) {
        out.add(path);
      } else if (!t.isPrimitive()
          && !t.isContainerType()
          && !t.isEnumType()
          && !t.getRawClass().getName().startsWith("java.")) {
        durationPaths(t, path, out);
      }
    }
  }

  /** The options as YAML with every value, secrets too (tests compare it with the sample). */
  public String toYaml(T options) {
    try {
      return mapper.writeValueAsString(options);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every option path (dotted, kebab-case) with its default value as text. */
  public Map<String, String> leafPaths() {
    Map<String, String> out = new LinkedHashMap<>();
    collect("", mapper.valueToTree(defaults.get()), out);
    return out;
  }

  /**
   * Every option path set in {@code file} with its value as written there, unconverted (tests check
   * that the shipped samples write each duration with its unit, as {@link #leafPaths} shows it).
   */
  public Map<String, String> leafPaths(Path file) {
    Map<String, String> out = new LinkedHashMap<>();
    collect("", readFile(file), out);
    return out;
  }

  private static void collect(String prefix, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> f = it.next();
        collect(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), out);
      }
    } else {
      out.put(prefix, node.asText());
    }
  }

  static String envName(String envPrefix, String path) {
    return envPrefix + path.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  private ObjectNode readFile(Path file) {
    if (file == null) {
      return mapper.createObjectNode();
    }
    if (!Files.isReadable(file)) {
      throw new ConfigException("cannot read configuration file " + file);
    }
    try {
      JsonNode node = mapper.readTree(file.toFile());
      if (node == null || node.isMissingNode() || node.isNull()) {
        return mapper.createObjectNode();
      }
      if (!node.isObject()) {
        throw new ConfigException("configuration file " + file + " must hold a mapping of options");
      }
      return (ObjectNode) node;
    } catch (IOException e) {
      throw new ConfigException("cannot parse configuration file " + file + ": " + e.getMessage());
    }
  }

  /**
   * Sets one option from text; a list option (such as {@code store.cassandra.contact-points}) takes
   * a comma-separated list.
   */
  private static void set(ObjectNode tree, String path, String value, JsonNode defaults) {
    String[] parts = path.split("\\.");
    JsonNode def = defaults;
    for (String part : parts) {
      def = def == null ? null : def.get(part);
    }
    ObjectNode node = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = node.get(parts[i]);
      if (!(child instanceof ObjectNode)) {
        child = node.putObject(parts[i]);
      }
      node = (ObjectNode) child;
    }
    if (def != null && def.isArray()) {
      var array = node.putArray(parts[parts.length - 1]);
      for (String item : value.split(",")) {
        if (!item.isBlank()) {
          array.add(item.trim());
        }
      }
    } else {
      node.put(parts[parts.length - 1], value);
    }
  }

  private static ConfigException translate(JsonMappingException e) {
    List<String> names = new ArrayList<>();
    for (JsonMappingException.Reference r : e.getPath()) {
      names.add(r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()));
    }
    String option = names.stream().collect(Collectors.joining("."));
    if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException) {
      return new ConfigException("unknown option '" + option + "'");
    }
    if (e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException f) {
      return new ConfigException(option, "not a valid value: '" + f.getValue() + "'");
    }
    return new ConfigException(option, e.getOriginalMessage());
  }
}
