/** The interaction server's options; every one is in {@code config/interaction.yaml}. */
package dev.hachat.interaction.config;
