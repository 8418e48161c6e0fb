/**
 * The admin port of an instance: {@code /health} for load balancers, {@code /kpi} (JSON) and {@code
 * /metrics} (Prometheus text). Binds to loopback by default. Internal to the chat server.
 */
package dev.hachat.server.admin;
