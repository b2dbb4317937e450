package io.hotadd.agent.adapters.vsphere;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly the vCenter certificates whose fingerprint was pinned, and nothing else.
 *
 * <p>It extends {@link X509ExtendedTrustManager} on purpose: the JDK then leaves the host name check to
 * this class, which skips it. A pin names one certificate, which is a stronger statement than "any
 * certificate for this host name", and vCenter is often reached by an IP address or a name its self-signed
 * certificate does not carry. Validity dates are not checked either: the pin, not the dates, is the trust
 * decision, and an expired VMCA certificate is replaced (and re-pinned) by the administrator.
 */
final class PinnedCertificateTrustManager extends X509ExtendedTrustManager {

    private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

    private final List<CertificateFingerprint> pins;

    PinnedCertificateTrustManager(List<CertificateFingerprint> pins) {
        if (pins.isEmpty()) {
            throw new IllegalArgumentException("at least one pinned fingerprint is needed");
        }
        this.pins = List.copyOf(pins);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain, engine == null ? null : engine.getPeerHost() + ":" + engine.getPeerPort());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain, socket == null ? null : String.valueOf(socket.getRemoteSocketAddress()));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, null);
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
        return NO_ISSUERS;
    }

    private void check(X509Certificate[] chain, String peer) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("vCenter " + describe(peer) + " presented no certificate");
        }
        X509Certificate leaf = chain[0];
        for (CertificateFingerprint pin : pins) {
            if (pin.matches(leaf)) {
                return;
            }
        }
        throw new UntrustedServerCertificate(mismatchMessage(leaf, peer));
    }

    private String mismatchMessage(X509Certificate leaf, String peer) {
        String expected = pins.stream().map(CertificateFingerprint::toString).collect(Collectors.joining(" or "));
        return "vCenter " + describe(peer) + " presented a certificate that does not match the pinned fingerprint."
                + " Expected: " + expected + "."
                + " Presented: " + UntrustedServerCertificate.describe(leaf) + "."
                + " If the vCenter certificate was replaced on purpose, confirm the new fingerprint on vCenter"
                + " itself (vSphere Client > Administration > Certificates, or openssl s_client on the vCenter"
                + " appliance) and update the pinned fingerprint in the agent's vCenter settings;"
                + " otherwise treat the connection as intercepted and do not change the pin.";
    }

    private static String describe(String peer) {
        return peer == null ? "(unknown address)" : "at " + peer;
    }
}
