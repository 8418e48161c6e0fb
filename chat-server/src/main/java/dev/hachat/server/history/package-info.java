/** The contact history (UCS): final transcripts, written exactly once. */
package dev.hachat.server.history;
