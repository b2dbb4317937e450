package io.hotadd.agent.adapters.vsphere;

import io.hotadd.agent.port.VSphereException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts certificates issued by the CAs of a PEM bundle (for vCenter: usually the VMCA root, downloadable
 * from {@code https://<vcenter>/certs/download.zip}), with the JDK's PKIX checks, host name check included.
 * It only adds a message an administrator can act on when the check fails.
 */
final class CaBundleTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager pkix;
    private final Path bundle;

    private CaBundleTrustManager(X509ExtendedTrustManager pkix, Path bundle) {
        this.pkix = pkix;
        this.bundle = bundle;
    }

    /** Loads the bundle; every certificate in it becomes a trust anchor. */
    static CaBundleTrustManager load(Path bundle) {
        try (InputStream in = Files.newInputStream(bundle)) {
            Collection<? extends Certificate> cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (cas.isEmpty()) {
                throw new CertificateException("no PEM certificate found");
            }
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int index = 0;
            for (Certificate ca : cas) {
                anchors.setCertificateEntry("ca-" + index++, ca);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            return new CaBundleTrustManager(pkixOf(factory.getTrustManagers()), bundle);
        } catch (IOException | GeneralSecurityException e) {
            throw new VSphereException.InvalidSettings("Cannot use the vCenter CA bundle " + bundle + ": " + e
                    + ". Point the setting at a readable PEM file with the CA certificate(s) that signed the vCenter"
                    + " certificate (e.g. the VMCA root from https://<vcenter>/certs/download.zip).", e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        try {
            pkix.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            throw refused(chain, engine == null ? null : engine.getPeerHost() + ":" + engine.getPeerPort(), e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        try {
            pkix.checkServerTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            throw refused(chain, socket == null ? null : String.valueOf(socket.getRemoteSocketAddress()), e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            pkix.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            throw refused(chain, null, e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("the vSphere client trust manager does not authenticate clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("the vSphere client trust manager does not authenticate clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the vSphere client trust manager does not authenticate clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }

    private UntrustedServerCertificate refused(X509Certificate[] chain, String peer, CertificateException why) {
        String presented = chain == null || chain.length == 0
                ? "no certificate" : UntrustedServerCertificate.describe(chain[0]);
        return new UntrustedServerCertificate("vCenter " + (peer == null ? "" : "at " + peer + " ")
                + "presented a certificate that the CA bundle " + bundle + " does not vouch for (" + why.getMessage()
                + "). Presented: " + presented + ". Check that the bundle holds the CA that signed the vCenter"
                + " certificate and that the agent connects with a host name the certificate lists; or pin the"
                + " certificate's SHA-256 fingerprint instead once you have confirmed it on vCenter.", why);
    }

    private static X509ExtendedTrustManager pkixOf(TrustManager[] managers) throws CertificateException {
        for (TrustManager manager : managers) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new CertificateException("the JDK offers no X509ExtendedTrustManager");
    }
}
