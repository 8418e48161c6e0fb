/**
 * KPI counters of an instance, kept in a Micrometer registry so the same numbers are served as JSON
 * ({@code /kpi}) and as Prometheus text ({@code /metrics}). Names are listed in docs/metrics.md.
 * Internal to the chat server.
 */
package dev.hachat.server.metrics;
