/**
 * Who is calling: agents, supervisors, the interaction side (workflow), operators and peer
 * processes, each a {@link dev.hachat.common.auth.Principal} with {@link
 * dev.hachat.common.auth.Role}s, authenticated by an {@link dev.hachat.common.auth.Authenticator}
 * from an account file of salted PBKDF2 password hashes or a signed token (HS256 JWT), both from
 * Vert.x Auth, never hand-rolled crypto. Configured by {@link
 * dev.hachat.common.auth.SecurityOptions}. Public API.
 */
package dev.hachat.common.auth;
