/**
 * The web API server's edge towards browsers: CORS for the customer's own sites, security headers
 * on every response ({@link dev.hachat.gms.edge.WebEdge}). Internal to the web API server.
 */
package dev.hachat.gms.edge;
