/**
 * System tests: packaged instances run as separate OS processes, as operators run them. The tests
 * find the built jars through the {@code hachat.home} system property (the repo root). A test class
 * gets its processes from a {@link dev.hachat.systemtest.ClusterExtension} (store, instances, web
 * API servers, interaction servers; all stopped by PID after the class); {@link
 * dev.hachat.systemtest.InstanceProcess}, {@link dev.hachat.systemtest.WebApiProcess} and {@link
 * dev.hachat.systemtest.InteractionProcess} start single processes (also for the benchmarks,
 * through this module's test-jar).
 */
package dev.hachat.systemtest;
