/**
 * The session engine: live sessions, their participants, their transcripts and the save pipeline
 * that makes every acknowledged message durable first.
 *
 * <p>Threading: each {@link dev.hachat.server.session.Session} is confined to one event loop (its
 * {@link dev.hachat.server.session.SessionLoop}); its public methods hop onto that loop and return
 * Futures, so callers on any thread may use them. {@link dev.hachat.server.session.ChatEngine} is
 * thread-safe.
 *
 * <p>Audience: the port adapters of this instance (webapi, ESP, admin).
 */
package dev.hachat.server.session;
