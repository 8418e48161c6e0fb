/**
 * What the store backends share: {@link dev.hachat.store.impl.StoreStatus} and {@link
 * dev.hachat.store.impl.StatusReportingStore} (a database's AVAILABLE/UNAVAILABLE status), {@link
 * dev.hachat.store.impl.Rows} (records as table rows), {@link dev.hachat.store.impl.CheckedLeases}
 * (the argument checks of every lease backend); and the implementations behind interfaces of {@code
 * dev.hachat.store} ({@link dev.hachat.store.impl.OutboxReaderImpl}). For the backends in the
 * sub-packages and that package only; callers use {@code dev.hachat.store} and its {@code spi}.
 */
package dev.hachat.store.impl;
