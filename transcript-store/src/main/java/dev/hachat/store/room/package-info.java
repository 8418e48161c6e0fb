/**
 * The room model shared by the room store backends and the chat server: rooms, their members and
 * roles, their append-only entries, and {@link dev.hachat.store.room.RoomStores}, which creates a
 * backend. A room's hosting record is an {@link dev.hachat.store.Ownership}, the same as a chat's
 * (docs/rooms.md).
 *
 * <p>Public API: the chat server and tools may use everything in this package.
 */
package dev.hachat.store.room;
