/** Implementation of the ESP client. Internal: use {@link dev.hachat.esp.client.EspClient}. */
package dev.hachat.esp.client.impl;
