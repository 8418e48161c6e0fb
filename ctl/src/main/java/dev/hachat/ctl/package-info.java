/**
 * {@code hachatctl}, the operators' command-line tool (docs/hachatctl.md): {@link
 * dev.hachat.ctl.Main} is the entry point, {@link dev.hachat.ctl.HachatCtl} the top command and its
 * global options, {@link dev.hachat.ctl.ExitCode} the exit codes scripts rely on. The subcommands
 * are in {@code command}, the admin-port client in {@code admin}, terminal and JSON output in
 * {@code output}. An application, not a library: nothing here is meant to be called from other
 * modules.
 */
package dev.hachat.ctl;
