package dev.hachat.server.testing;

import dev.hachat.server.config.SessionLimitsOptions;
import dev.hachat.server.config.SessionOptions;

/** Session options whose rate limits no functional test reaches (limit tests set their own). */
public final class GenerousLimits {
  private GenerousLimits() {}

  public static SessionOptions sessionOptions() {
    int many = 1_000_000;
    return new SessionOptions()
        .setMaxTranscriptEntries(many)
        .setMaxTranscriptBytes(1L << 40)
        .setLimits(
            new SessionLimitsOptions()
                .setSendsBurst(many)
                .setTypingBurst(many)
                .setUpdatesBurst(many));
  }
}
