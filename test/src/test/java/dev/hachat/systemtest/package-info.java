/**
 * System tests: packaged instances run as separate OS processes, as operators run them. The tests
 * find the built jars through the {@code hachat.home} system property (the repo root).
 */
package dev.hachat.systemtest;
