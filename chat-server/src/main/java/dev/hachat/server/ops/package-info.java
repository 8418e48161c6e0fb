/**
 * Operator procedures on one instance: disable, drain, evacuate and the graceful stop, driven from
 * the admin port and the SIGTERM handler (docs/operations.md). Used by the instance itself only.
 */
package dev.hachat.server.ops;
