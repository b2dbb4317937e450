package io.hotadd.agent.adapters.vsphere;

import io.hotadd.agent.port.VSphereException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How the agent decides to trust vCenter's TLS certificate. There is deliberately no "trust everything".
 *
 * <p>Each session gets its own {@link SSLContext} from {@link #newSslContext}; nothing JVM-wide
 * (default socket factory, default host name verifier, default SSLContext) is touched, so two sessions
 * with different pins in one JVM cannot influence each other.
 */
public sealed interface ServerTrust {

    /** Trust the certificate(s) with these fingerprints, whatever host name they carry. */
    record Pinned(List<CertificateFingerprint> fingerprints) implements ServerTrust {
        public Pinned {
            fingerprints = List.copyOf(fingerprints);
            if (fingerprints.isEmpty()) {
                throw new VSphereException.InvalidSettings("No vCenter certificate fingerprint is configured."
                        + " Pin the SHA-256 fingerprint (or SHA-1 thumbprint) of the vCenter certificate,"
                        + " or configure a CA bundle.", null);
            }
        }

        @Override
        public X509ExtendedTrustManager trustManager() {
            return new PinnedCertificateTrustManager(fingerprints);
        }
    }

    /** Trust certificates issued by the CAs in this PEM file, for the host name the agent connects to. */
    record CaBundle(Path pemFile) implements ServerTrust {
        public CaBundle {
            Objects.requireNonNull(pemFile, "pemFile");
        }

        @Override
        public X509ExtendedTrustManager trustManager() {
            return CaBundleTrustManager.load(pemFile);
        }
    }

    /** Pins one or more fingerprints in any of the spellings {@link CertificateFingerprint#parse} accepts. */
    static ServerTrust pinned(String... fingerprints) {
        return new Pinned(Arrays.stream(fingerprints).map(CertificateFingerprint::parse).toList());
    }

    static ServerTrust caBundle(Path pemFile) {
        return new CaBundle(pemFile);
    }

    /** A fresh trust manager implementing this decision. */
    X509ExtendedTrustManager trustManager();

    /** A fresh TLS context that uses only {@code trustManager}. */
    static SSLContext newSslContext(X509ExtendedTrustManager trustManager) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot create a TLS context", e);
        }
    }
}
