/**
 * Configuration shared by every hachat process: the YAML / environment / system-property {@link
 * dev.hachat.common.config.ConfigLoader}, the typed {@link
 * dev.hachat.common.config.ConfigException} that names the bad option, {@link
 * dev.hachat.common.config.DurationUnit} and {@link dev.hachat.common.config.Durations} for options
 * that are durations ({@code 30s}, {@code 500ms}), {@link
 * dev.hachat.common.config.SampleConfigCheck} for the tests of the shipped samples, and {@link
 * dev.hachat.common.config.PortOptions} for a listener. Public API.
 */
package dev.hachat.common.config;
