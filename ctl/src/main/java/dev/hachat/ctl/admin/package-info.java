/**
 * The admin-port client of {@code hachatctl}: {@link dev.hachat.ctl.admin.AdminClient} (made by its
 * {@code create}, the JDK HTTP client behind it in {@code impl}), the operator {@link
 * dev.hachat.ctl.admin.Credentials}, and the {@link dev.hachat.ctl.admin.ClusterView} of a {@code
 * GET /cluster} that resolves instance ids to admin addresses. Failures are {@link
 * dev.hachat.ctl.CtlException}s whose kind is the exit code.
 */
package dev.hachat.ctl.admin;
