package io.facecast.security;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Date;
import javax.net.ssl.SSLException;

/**
 * One process's side of the internal control plane: mutual TLS with the cluster CA, servers that require a client
 * certificate, and channels that verify the server's fleet identity. Loaded once at start-up, so a missing or wrong
 * file stops the process with a message instead of failing its first call.
 *
 * <p>The JDK's TLS provider is used on purpose: its trust-manager contract is what {@link FleetTrustManager} relies on
 * to check identities instead of host names.
 */
public final class FleetTls {
    private final X509Certificate ca;
    private final X509Certificate cert;
    private final PrivateKey key;
    private final FleetIdentity self;

    private FleetTls(X509Certificate ca, X509Certificate cert, PrivateKey key, FleetIdentity self) {
        this.ca = ca;
        this.cert = cert;
        this.key = key;
        this.self = self;
    }

    /**
     * Loads this process's material from {@code <tlsDir>} and checks that it is what the process is: the certificate
     * is signed by the CA, valid now, and names {@code role}/{@code id}.
     *
     * @throws IOException with what is wrong and how to fix it
     */
    public static FleetTls load(Path tlsDir, FleetRole role, String id) throws IOException {
        TlsFiles files = TlsFiles.in(tlsDir, id).requireExisting(role, id);
        X509Certificate ca = Pem.readCertificate(files.ca());
        X509Certificate cert = Pem.readCertificate(files.cert());
        PrivateKey key = Pem.readKey(files.key());
        FleetIdentity identity;
        try {
            cert.verify(ca.getPublicKey());
            cert.checkValidity(new Date());
            identity = FleetIdentity.of(cert);
        } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
            throw new IOException(files.cert() + " is not a valid certificate of the CA in " + files.ca() + ": " + e.getMessage());
        }
        if (!identity.is(role, id)) {
            throw new IOException(files.cert() + " is for " + identity + ", but this process is "
                    + FleetIdentity.uri(role, id));
        }
        if (!matches(key, cert.getPublicKey())) {
            throw new IOException(files.key() + " is not the key of " + files.cert());
        }
        return new FleetTls(ca, cert, key, identity);
    }

    public FleetIdentity self() {
        return self;
    }

    /** A server on {@code host:port} that completes no handshake without a client certificate from the cluster CA. */
    public NettyServerBuilder serverBuilder(String host, int port) {
        return NettyServerBuilder.forAddress(new InetSocketAddress(host, port)).sslContext(serverContext());
    }

    public SslContext serverContext() {
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(key, cert)
                    .trustManager(new FleetTrustManager(ca, peer -> true, "a fleet certificate"))
                    .clientAuth(ClientAuth.REQUIRE);
            return GrpcSslContexts.configure(builder, SslProvider.JDK).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the server TLS context for " + self, e);
        }
    }

    /** A channel to a fleet process that must present exactly {@code role}/{@code id}. */
    public ManagedChannel channel(String target, FleetRole role, String id) {
        return channel(target, role, id == null ? null : FleetIdentity.uri(role, id), id);
    }

    /** A channel to any process of {@code role} (e.g. the renderer or signaling, whose ids the caller does not know). */
    public ManagedChannel channel(String target, FleetRole role) {
        return channel(target, role, null);
    }

    private ManagedChannel channel(String target, FleetRole role, String uri, String id) {
        String expectation = uri != null ? uri : "a " + role + " (spiffe://" + FleetIdentity.TRUST_DOMAIN + "/" + role.label() + "/<id>)";
        try {
            SslContextBuilder builder = SslContextBuilder.forClient()
                    .keyManager(key, cert)
                    .trustManager(new FleetTrustManager(ca,
                            peer -> peer.role() == role && (id == null || peer.id().equals(id)), expectation));
            SslContext context = GrpcSslContexts.configure(builder, SslProvider.JDK).build();
            return NettyChannelBuilder.forTarget(target).sslContext(context).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the client TLS context for " + self, e);
        }
    }

    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        try {
            java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            byte[] probe = "facecast".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            signer.update(probe);
            byte[] signature = signer.sign();
            java.security.Signature verifier = java.security.Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }
}
