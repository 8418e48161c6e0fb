/**
 * The storage SPI: the one narrow, asynchronous interface every transcript backend implements
 * (in-memory, Cassandra, the UCS adapter on PostgreSQL). The contract test suite ({@code
 * TranscriptStoreContract} in this module's test-jar) runs unchanged against each of them.
 *
 * <p>Audience: backend implementers, and the chat server, which depends on nothing else of a
 * backend.
 */
package dev.hachat.store.spi;
