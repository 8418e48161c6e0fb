/** The command-line agent: answer chats from a terminal over the ESP port. */
package dev.hachat.esp.cli;
