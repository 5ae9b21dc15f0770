package io.facecast.security;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster CA: one EC P-256 key pair in {@code <dir>/ca.key} (0600) and its self-signed certificate in
 * {@code <dir>/ca.crt}. It issues each fleet process one key and a certificate {@code <dir>/<id>.crt} that
 * carries the process's identity ({@link FleetIdentity}) and serves both as its TLS server certificate and as its
 * client certificate (extended key usage serverAuth and clientAuth). The CA key signs nothing else and never leaves
 * the directory; a process needs only {@code ca.crt} and its own pair.
 */
public final class ClusterCa {
    public static final String CA_CERT = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final PrivateKey key;
    private final X509Certificate certificate;

    private ClusterCa(Path dir, PrivateKey key, X509Certificate certificate) {
        this.dir = dir;
        this.key = key;
        this.certificate = certificate;
    }

    /**
     * Creates a new CA in {@code dir} (made if missing).
     *
     * @throws IOException when the directory already holds a CA: replacing it would orphan every issued certificate
     */
    public static ClusterCa init(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String name : new String[] {CA_CERT, CA_KEY}) {
            if (Files.exists(dir.resolve(name))) {
                throw new IOException(dir.resolve(name) + " exists: " + dir + " already holds a cluster CA");
            }
        }
        KeyPair pair = newKeyPair();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Facecast")
                .addRDN(BCStyle.CN, "Facecast cluster CA " + HexFormat.of().formatHex(serial().toByteArray()).substring(0, 8))
                .build();
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(CA_VALIDITY)), name, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate certificate = sign(builder, pair.getPrivate());
            Pem.writeKey(dir.resolve(CA_KEY), pair.getPrivate());
            Pem.writeCertificate(dir.resolve(CA_CERT), certificate);
            return new ClusterCa(dir, pair.getPrivate(), certificate);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the CA certificate", e);
        }
    }

    /** @throws IOException when {@code dir} holds no CA (with the command that makes one) */
    public static ClusterCa load(Path dir) throws IOException {
        Path cert = dir.resolve(CA_CERT);
        Path key = dir.resolve(CA_KEY);
        if (!Files.exists(cert) || !Files.exists(key)) {
            throw new IOException(dir + " holds no cluster CA (" + CA_CERT + " and " + CA_KEY
                    + "); create one with: facecast certs init --dir " + dir);
        }
        return new ClusterCa(dir, Pem.readKey(key), Pem.readCertificate(cert));
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Issues a key and certificate for one process into {@code <dir>/<id>.key} and {@code <dir>/<id>.crt}.
     *
     * @param replace whether an existing pair for this id may be overwritten
     * @throws IOException when the pair exists and {@code replace} is false
     */
    public FleetIdentity issue(FleetRole role, String id, Duration validity, boolean replace) throws IOException {
        FleetIdentity.checkId(id);
        TlsFiles files = TlsFiles.in(dir, id);
        if (!replace && (Files.exists(files.cert()) || Files.exists(files.key()))) {
            throw new IOException(files.cert() + " exists; pass --force to replace it");
        }
        KeyPair pair = newKeyPair();
        String uri = FleetIdentity.uri(role, id);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Facecast")
                .addRDN(BCStyle.OU, role.label())
                .addRDN(BCStyle.CN, id)
                .build();
        Instant now = Instant.now();
        Instant notAfter = now.plus(validity);
        if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
            notAfter = certificate.getNotAfter().toInstant();
        }
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(notAfter), subject, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    // The identity is the only name: peers verify it instead of a host name (docs/security.md).
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uri)))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(pair.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(certificate));
            X509Certificate issued = sign(builder, key);
            Pem.writeKey(files.key(), pair.getPrivate());
            Pem.writeCertificate(files.cert(), issued);
            return FleetIdentity.of(issued);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the certificate for " + uri, e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is not available in this JDK", e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }
}
