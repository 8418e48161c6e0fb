/**
 * Confinement for the cold paths of a process: {@link dev.hachat.common.confined.OwnContext}, an
 * event-loop context a component creates for itself and keeps its mutable state on (an instance's
 * membership lease, membership view and operator procedures; the interaction server's switchboard).
 * The sessions have their own primitive, {@code SessionLoop} in {@code server.session}.
 */
package dev.hachat.common.confined;
