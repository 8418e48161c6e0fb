/**
 * Persistent rooms on the chat engine (docs/rooms.md): {@link dev.hachat.server.room.RoomHost}
 * hosts the rooms of this instance, creates, restores (claims) and hands them over under the same
 * epoch rules and membership guards as chats; each {@link dev.hachat.server.room.Room} saves its
 * entries before it acknowledges them. Public: {@code RoomHost}, {@code Room}, {@code RoomListener}
 * and the results, used by the ESP and admin adapters; the rest is internal.
 */
package dev.hachat.server.room;
