/**
 * Rules for text a client sends that every store must be able to keep ({@link
 * dev.hachat.common.text.StorableText}). Public API.
 */
package dev.hachat.common.text;
