/** Helpers shared by the store backends. */
package dev.hachat.store.impl;
