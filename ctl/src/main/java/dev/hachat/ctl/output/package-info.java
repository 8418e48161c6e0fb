/**
 * What {@code hachatctl} prints: {@link dev.hachat.ctl.output.Output} (text, or one JSON document
 * per line with {@code --json}), the terminal {@link dev.hachat.ctl.output.Table}, the state table
 * ({@link dev.hachat.ctl.output.StatusReport}) and a transcript ({@link
 * dev.hachat.ctl.output.HistoryText}). Pure functions of the admin answers, unit-tested on their
 * own.
 */
package dev.hachat.ctl.output;
