/** Test accounts shared by the chat server's authentication tests. */
package dev.hachat.server.auth;
