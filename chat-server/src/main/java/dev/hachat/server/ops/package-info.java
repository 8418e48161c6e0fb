/**
 * Operator procedures on one instance: disable, drain, evacuate and the graceful stop, driven from
 * the admin port and the SIGTERM handler (docs/operations.md). {@link
 * dev.hachat.server.ops.Operations} keeps its state on a context of its own and publishes an
 * immutable {@link dev.hachat.server.ops.OpsSnapshot}. Used by the instance itself only.
 */
package dev.hachat.server.ops;
