package io.facecast.security;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Predicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a peer when its certificate chains to the cluster CA (and nothing else: not the JDK's public roots) and
 * carries a fleet identity the caller expects. The identity replaces host-name verification: a streamer advertises
 * whatever address it listens on, and what matters is that the process answering there is the streamer that
 * registered, so signaling dials it expecting {@code spiffe://facecast/streamer/<id>}.
 */
final class FleetTrustManager extends X509ExtendedTrustManager {
    private final X509Certificate ca;
    private final X509ExtendedTrustManager pkix;
    private final Predicate<FleetIdentity> expected;
    private final String expectation;

    /**
     * @param expected    which identities may be on the other end
     * @param expectation those identities in words, for the handshake failure's message
     */
    FleetTrustManager(X509Certificate ca, Predicate<FleetIdentity> expected, String expectation) {
        this.ca = ca;
        this.expected = expected;
        this.expectation = expectation;
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("facecast-cluster-ca", ca);
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            X509ExtendedTrustManager found = null;
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    found = x;
                }
            }
            if (found == null) {
                throw new IllegalStateException("the JDK offers no PKIX X509ExtendedTrustManager");
            }
            this.pkix = found;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a trust store for the cluster CA", e);
        }
    }

    private void checkIdentity(X509Certificate[] chain) throws CertificateException {
        FleetIdentity identity;
        try {
            identity = FleetIdentity.of(chain[0]);
        } catch (IllegalArgumentException e) {
            throw new CertificateException("peer certificate has no fleet identity: " + e.getMessage());
        }
        if (!expected.test(identity)) {
            throw new CertificateException("peer is " + identity + ", expected " + expectation);
        }
    }

    // The two-argument PKIX checks validate the chain, validity and key usage, without host-name identification.

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkClientTrusted(chain, authType);
        checkIdentity(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkServerTrusted(chain, authType);
        checkIdentity(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[] {ca};
    }
}
