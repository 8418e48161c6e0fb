/**
 * The ESP frame format ({@link dev.hachat.esp.protocol.EspFrames}): requests, replies and events
 * between the chat server's ESP port and its clients. The error codes it carries are {@link
 * dev.hachat.common.error.ErrorCode}. Public API.
 */
package dev.hachat.esp.protocol;
