/**
 * The implementation of {@link dev.hachat.gms.api.ChatService} over the instances' webapi ports:
 * parameter checks, the mapping between GMS and instance JSON, typed GMS errors, and chat feeds
 * that follow a chat's push stream across instance failures. Internal to the web API server.
 */
package dev.hachat.gms.service;
