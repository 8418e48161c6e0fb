/**
 * Store backends. Internal: create them through {@link dev.hachat.store.TranscriptStores}; never
 * refer to these classes from outside this module.
 */
package dev.hachat.store.impl;
