/** The {@link dev.hachat.ctl.admin.AdminClient} implementation; used through its interface only. */
package dev.hachat.ctl.admin.impl;
