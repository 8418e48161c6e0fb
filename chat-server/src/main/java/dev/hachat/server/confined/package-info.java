/**
 * Confinement for the cold paths of an instance: {@link dev.hachat.server.confined.OwnContext}, an
 * event-loop context a component creates for itself and keeps its mutable state on (the membership
 * lease, the membership view, the operator procedures). The sessions have their own primitive,
 * {@code SessionLoop} in {@code server.session}. Internal to the chat server.
 */
package dev.hachat.server.confined;
