package dev.hachat.esp.client;

import dev.hachat.store.Entry;
import java.util.List;

/** Entries after a position, as {@code refresh} returns them. */
public record ChatSlice(List<Entry> entries, long nextPosition, boolean chatEnded) {}
