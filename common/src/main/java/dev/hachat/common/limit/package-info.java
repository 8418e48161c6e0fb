/**
 * Abuse limits shared by every port: {@link dev.hachat.common.limit.KeyedRateLimiter}, a token
 * bucket per key (a client address, a participant) on the maintained Bucket4j library. Public API.
 */
package dev.hachat.common.limit;
