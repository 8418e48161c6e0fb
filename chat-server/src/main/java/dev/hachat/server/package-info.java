/**
 * A chat-server instance: {@link dev.hachat.server.ChatServer} wires the engine, the store and the
 * three ports; {@link dev.hachat.server.Main} is the process entry point. Sub-packages: {@code
 * session} (engine), {@code webapi} (customer port), {@code esp} (agent port), {@code admin},
 * {@code config}, {@code metrics}.
 */
package dev.hachat.server;
