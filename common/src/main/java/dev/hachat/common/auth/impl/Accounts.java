package dev.hachat.common.auth.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.hachat.common.auth.Role;
import dev.hachat.common.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The accounts file, parsed: an immutable map from account id to its roles and password hash.
 *
 * <pre>{@code
 * accounts:
 *   - id: agent-1
 *     roles: [agent]
 *     password-hash: "$pbkdf2$..."   # scripts/hachat-passwd
 * }</pre>
 */
record Accounts(Map<String, Account> byId) {
  record Account(String id, Set<Role> roles, String passwordHash) {}

  static final Accounts NONE = new Accounts(Map.of());

  /** Reads and checks the file; a problem is a {@link ConfigException} naming the account. */
  static Accounts read(Path file) throws IOException {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
    JsonNode list = root == null ? null : root.get("accounts");
    if (list == null || !list.isArray()) {
      throw new ConfigException("security.accounts-file", file + ": no 'accounts' list");
    }
    Map<String, Account> out = new HashMap<>();
    for (JsonNode a : list) {
      String id = a.path("id").asText("");
      String hash = a.path("password-hash").asText("");
      if (!id.matches("[A-Za-z0-9._@-]{1,128}")) {
        throw new ConfigException("security.accounts-file", file + ": bad account id '" + id + "'");
      }
      if (!hash.startsWith("$")) {
        throw new ConfigException(
            "security.accounts-file",
            file + ": account " + id + " has no password-hash (scripts/hachat-passwd makes one)");
      }
      Set<Role> roles = EnumSet.noneOf(Role.class);
      for (JsonNode r : a.path("roles")) {
        roles.add(
            Role.fromWire(r.asText())
                .orElseThrow(
                    () ->
                        new ConfigException(
                            "security.accounts-file",
                            file + ": account " + id + ": unknown role '" + r.asText() + "'")));
      }
      if (out.put(id, new Account(id, Set.copyOf(roles), hash)) != null) {
        throw new ConfigException("security.accounts-file", file + ": account " + id + " twice");
      }
    }
    return new Accounts(Map.copyOf(out));
  }
}
