/**
 * The GMS Chat API v2 REST routes ({@code /genesys/2/chat/...}): form-encoded (or JSON) parameters
 * in, GMS JSON out. Internal to the web API server.
 */
package dev.hachat.gms.rest;
