/**
 * PostgreSQL: the contact history (UCS) and, in UCS-only mode, the intermediate store and the
 * instance registry. Schema by versioned migrations in {@code src/main/resources/postgres}.
 */
package dev.hachat.store.impl.postgres;
