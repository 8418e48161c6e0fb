/**
 * Test fixtures of the chat-server, shipped in its test-jar for the modules in front of it
 * (webapi): {@link dev.hachat.server.testing.TestNodes} (instances in one JVM over a shared store
 * and registry, as engines on a hand-moved clock or as whole servers) and {@link
 * dev.hachat.server.testing.ChatFailures} (assertions on typed failures). Test scope only.
 */
package dev.hachat.server.testing;
