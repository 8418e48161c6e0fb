/**
 * The chaos loop ({@code scripts/bench chaos}): chats with a customer and an agent sending
 * continuously through three instances on a three-node Cassandra and a PostgreSQL, while a seeded
 * scheduler kills, pauses and restarts processes; a history of every send and acknowledgement is
 * then checked against the transcripts both parties read. {@link dev.hachat.bench.chaos.ChaosBench}
 * is the entry point; {@link dev.hachat.bench.chaos.HistoryChecker} is the pure checker
 * (unit-tested with synthetic histories). Benchmark code only: nothing in the product depends on
 * it.
 */
package dev.hachat.bench.chaos;
