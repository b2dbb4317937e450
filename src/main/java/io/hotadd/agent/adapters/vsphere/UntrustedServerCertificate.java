package io.hotadd.agent.adapters.vsphere;

import io.hotadd.agent.port.VSphereException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * Raised inside the TLS handshake when vCenter's certificate is refused. Its message is complete and meant
 * for the administrator; the SOAP client finds it in the handshake failure's causes and turns it into a
 * {@link VSphereException.UntrustedCertificate}.
 */
final class UntrustedServerCertificate extends CertificateException {

    private static final long serialVersionUID = 1L;

    UntrustedServerCertificate(String message) {
        super(message);
    }

    UntrustedServerCertificate(String message, Throwable cause) {
        super(message, cause);
    }

    /** Both fingerprints, the subject and the expiry date: what an administrator needs to compare. */
    static String describe(X509Certificate certificate) {
        return CertificateFingerprint.of(certificate, CertificateFingerprint.Algorithm.SHA256)
                + ", " + CertificateFingerprint.of(certificate, CertificateFingerprint.Algorithm.SHA1)
                + " (subject '" + certificate.getSubjectX500Principal().getName()
                + "', issuer '" + certificate.getIssuerX500Principal().getName()
                + "', valid until " + certificate.getNotAfter().toInstant() + ")";
    }
}
