/**
 * The interaction server's workflow connections to every chat-server instance the registry lists
 * ({@link dev.hachat.interaction.instances.InstanceLinks}) and what they announce ({@link
 * dev.hachat.interaction.instances.InstanceEvents}).
 */
package dev.hachat.interaction.instances;
