/**
 * Options of a chat-server instance and how they are read: one YAML file, overridden by environment
 * variables and {@code -D} system properties. Every option is listed once, with its default, in
 * {@code config/chat-server.yaml}. Public API.
 */
package dev.hachat.server.config;
