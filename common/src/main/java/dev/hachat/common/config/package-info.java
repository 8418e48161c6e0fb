/**
 * Configuration shared by every hachat process: the YAML / environment / system-property {@link
 * dev.hachat.common.config.ConfigLoader}, the typed {@link
 * dev.hachat.common.config.ConfigException} that names the bad option, and {@link
 * dev.hachat.common.config.PortOptions} for a listener. Public API.
 */
package dev.hachat.common.config;
