package dev.hachat.server.session;

import java.util.Map;

/**
 * What an agent sees of a session before accepting it.
 *
 * @param chatId the session
 * @param customer the customer's nickname
 * @param subject the subject line
 * @param userData widget-supplied key/value data
 * @param createdAt milliseconds since the epoch, UTC
 */
public record SessionSummary(
    String chatId, String customer, String subject, Map<String, String> userData, long createdAt) {}
