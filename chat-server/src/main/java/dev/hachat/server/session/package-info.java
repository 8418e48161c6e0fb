/**
 * The session engine: live sessions, their participants, their transcripts and the save pipeline
 * that makes every acknowledged message durable first.
 *
 * <p>Public: {@link dev.hachat.server.session.ChatEngine} (a facade over package-private parts
 * built once by {@link dev.hachat.server.session.ChatEngine#create}, see docs/engine.md, "Parts of
 * the engine"), {@link dev.hachat.server.session.Ha} (stand-alone or a cluster member), {@link
 * dev.hachat.server.session.Session} and the values they return.
 *
 * <p>Threading: each {@link dev.hachat.server.session.Session} is confined to one event loop (its
 * {@link dev.hachat.server.session.SessionLoop}); its public methods hop onto that loop and return
 * Futures, so callers on any thread may use them. {@link dev.hachat.server.session.ChatEngine} is
 * thread-safe.
 *
 * <p>Audience: the port adapters of this instance (webapi, ESP, admin), the operator procedures
 * ({@code ops}) and {@code ChatServer}, which builds the engine.
 */
package dev.hachat.server.session;
