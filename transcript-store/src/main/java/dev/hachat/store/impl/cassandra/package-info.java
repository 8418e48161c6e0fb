/**
 * The Cassandra backend: one partition per session, plain (non-LWT) writes for entries, a
 * compare-and-set only to create, claim, release and close, and read-time fencing of entries
 * written under a superseded epoch (docs/consistency.md). Internal to this module.
 */
package dev.hachat.store.impl.cassandra;
