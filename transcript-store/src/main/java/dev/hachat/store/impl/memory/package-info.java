/**
 * The in-memory backend: a real implementation of the SPI that lives and dies with its process. For
 * unit tests of the engine and for a quick single-process look; it gives no availability. Internal
 * to this module.
 */
package dev.hachat.store.impl.memory;
