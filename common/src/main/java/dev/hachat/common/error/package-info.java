/**
 * The failure kinds every side of hachat shares: {@link dev.hachat.common.error.ErrorCode} (a
 * stable code, its HTTP status, whether a retry may succeed) and the typed {@link
 * dev.hachat.common.error.ChatException} that carries one. Clients see these codes on every port.
 * Public API.
 */
package dev.hachat.common.error;
