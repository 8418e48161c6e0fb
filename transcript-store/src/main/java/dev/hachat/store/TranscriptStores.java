package dev.hachat.store;

import dev.hachat.store.impl.memory.MemoryInstanceRegistry;
import dev.hachat.store.impl.memory.MemoryTranscriptStore;
import dev.hachat.store.spi.InstanceRegistry;
import dev.hachat.store.spi.TranscriptStore;

/** Creates store backends; callers never instantiate a backend class themselves. */
public final class TranscriptStores {

  private TranscriptStores() {}

  /** A fresh, empty in-memory store (unit tests and single-process use only). */
  public static TranscriptStore inMemory() {
    return new MemoryTranscriptStore();
  }

  /** A fresh, empty in-memory instance registry (one process only). */
  public static InstanceRegistry inMemoryRegistry() {
    return new MemoryInstanceRegistry();
  }
}
