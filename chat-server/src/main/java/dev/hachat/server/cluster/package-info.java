/**
 * The instance's place in the cluster: its heartbeat in the shared registry, its view of which
 * other instances are alive, and its lease (how long it may still acknowledge writes). The safety
 * argument is in docs/consistency.md. Internal to the chat server.
 */
package dev.hachat.server.cluster;
