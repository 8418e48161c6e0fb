/** The implementation of {@link dev.hachat.common.auth.Authenticator}. Internal. */
package dev.hachat.common.auth.impl;
