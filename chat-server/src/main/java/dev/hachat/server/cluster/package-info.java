/**
 * The instance's place in the cluster: its heartbeat in the shared registry and its lease (how long
 * it may still acknowledge writes), {@link dev.hachat.server.cluster.OwnLease}; its view of which
 * other instances are alive, {@link dev.hachat.server.cluster.PeerView}; and {@link
 * dev.hachat.server.cluster.Membership}, the facade the rest of the instance uses. The safety
 * argument is in docs/consistency.md.
 *
 * <p>Threading: each part keeps its state on a context of its own and publishes an immutable
 * snapshot ({@link dev.hachat.server.cluster.LeaseSnapshot}, {@link
 * dev.hachat.server.cluster.ViewSnapshot}) that any thread reads; see docs/engine.md, Threading.
 * Internal to the chat server.
 */
package dev.hachat.server.cluster;
