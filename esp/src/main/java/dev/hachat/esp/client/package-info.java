/**
 * The asynchronous Java client of the ESP port, for agent desktops and the interaction side. Public
 * API: {@link dev.hachat.esp.client.EspClient}, its options and result records; the implementation
 * in {@code impl} is internal.
 */
package dev.hachat.esp.client;
