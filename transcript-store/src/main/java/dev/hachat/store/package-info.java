/**
 * The transcript model shared by every store backend and by the chat server: sessions,
 * participants, transcript entries, ownership records, and the typed {@link
 * dev.hachat.store.StoreException}. {@link dev.hachat.store.TranscriptStores} creates a backend
 * from options.
 *
 * <p>Public API: the chat server and tools may use everything in this package.
 */
package dev.hachat.store;
