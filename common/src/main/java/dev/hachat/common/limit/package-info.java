/**
 * Abuse limits shared by every port: {@link dev.hachat.common.limit.KeyedRateLimiter}, a token
 * bucket per key (a client address, a participant) on the maintained Bucket4j library; {@link
 * dev.hachat.common.limit.ClientAddress}, which address a request counts against; connection caps
 * and write budgets. Public API.
 */
package dev.hachat.common.limit;
