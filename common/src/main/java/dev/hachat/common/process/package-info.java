/**
 * The start-up every hachat process shares ({@link dev.hachat.common.process.Bootstrap}): load the
 * options, {@code --print-config}, start, and the exit codes. Used by the {@code Main} classes
 * only.
 */
package dev.hachat.common.process;
