package dev.hachat.gms.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** One chat service ({@code serviceName} in the URL): what it adds to every chat it starts. */
public class ServiceOptions {
  private Map<String, String> userData = new LinkedHashMap<>();

  /** Attached data added to every chat of this service (the customer's own keys win). */
  public Map<String, String> getUserData() {
    return userData;
  }

  public ServiceOptions setUserData(Map<String, String> userData) {
    this.userData = userData;
    return this;
  }
}
