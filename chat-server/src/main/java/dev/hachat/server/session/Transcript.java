package dev.hachat.server.session;

import dev.hachat.store.Entry;
import java.util.List;

/**
 * A slice of a session's transcript, for "give me everything after index N".
 *
 * @param entries committed entries after the asked position, in index order
 * @param nextPosition the index to ask from next time
 * @param chatEnded whether the session is closed
 */
public record Transcript(List<Entry> entries, long nextPosition, boolean chatEnded) {}
