package dev.hachat.ctl.admin.impl;

import dev.hachat.ctl.CtlException;
import dev.hachat.ctl.ExitCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An {@link SSLContext} trusting exactly the CA certificates of one PEM file, the CLI's side of
 * {@code security.tls-trust-file} (docs/security.md). Host names are checked by the HTTP client.
 */
final class PemTrust {
  private PemTrust() {}

  /** The context; a usage error naming the file when it is unreadable or holds no certificate. */
  static SSLContext context(Path pem) {
    Collection<? extends Certificate> certs;
    try (InputStream in = Files.newInputStream(pem)) {
      certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException | GeneralSecurityException e) {
      throw bad(pem, "cannot read certificates from it (" + e.getMessage() + ")");
    }
    if (certs.isEmpty()) {
      throw bad(pem, "holds no certificate");
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw bad(pem, e.getMessage());
    }
  }

  private static CtlException bad(Path pem, String why) {
    return new CtlException(ExitCode.USAGE, "--tls-trust-file " + pem + ": " + why);
  }
}
