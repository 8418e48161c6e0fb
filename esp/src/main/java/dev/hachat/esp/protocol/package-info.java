/**
 * Wire-level contract shared by the chat server and its clients: the stable error codes and the
 * typed {@link dev.hachat.esp.protocol.ChatException}, and the ESP frame format ({@link
 * dev.hachat.esp.protocol.EspFrames}). Public API.
 */
package dev.hachat.esp.protocol;
