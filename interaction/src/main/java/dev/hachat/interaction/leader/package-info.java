/**
 * Several interaction servers, one router: the election ({@link
 * dev.hachat.interaction.leader.RouterLease}, the store's lease by the rules of
 * docs/consistency.md), and how a server's agents reach the router, in this process ({@link
 * dev.hachat.interaction.leader.LocalAccess}) or over a peer link to the holder ({@link
 * dev.hachat.interaction.leader.RemoteAccess}; the holder's side is {@link
 * dev.hachat.interaction.leader.PeerSession}, the frames {@link
 * dev.hachat.interaction.leader.PeerFrames}). docs/interaction.md, "Several interaction servers".
 */
package dev.hachat.interaction.leader;
