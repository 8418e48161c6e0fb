/**
 * The subcommands of {@code hachatctl}, one class each, reaching the admin client and the output
 * through their parent {@link dev.hachat.ctl.HachatCtl}. Each runs on the command-line thread and
 * waits for the calls it makes (a CLI has no event loop to keep free); long procedures poll the
 * other processes' state with a deadline ({@code Poll}).
 */
package dev.hachat.ctl.command;
