package io.facecast.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** PEM files as every TLS stack reads them: X.509 certificates and unencrypted PKCS#8 EC private keys. */
final class Pem {
    private static final String CERT = "CERTIFICATE";
    private static final String KEY = "PRIVATE KEY";

    private Pem() {}

    static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
        try {
            write(file, CERT, certificate.getEncoded(), false);
        } catch (CertificateException e) {
            throw new IOException(e);
        }
    }

    /** Owner-only (0600) from the moment the file exists, where the file system has POSIX permissions. */
    static void writeKey(Path file, PrivateKey key) throws IOException {
        write(file, KEY, key.getEncoded(), true);
    }

    static X509Certificate readCertificate(Path file) throws IOException {
        try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(file))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (CertificateException e) {
            throw new IOException(file + " is not a PEM certificate: " + e.getMessage());
        }
    }

    static PrivateKey readKey(Path file) throws IOException {
        byte[] der = decode(file, KEY);
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " is not an unencrypted PKCS#8 EC private key: " + e.getMessage());
        }
    }

    private static byte[] decode(Path file, String type) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IOException(file + " holds no '" + begin + "' block");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": bad base64 in the " + type + " block");
        }
    }

    private static void write(Path file, String type, byte[] der, boolean secret) throws IOException {
        String body = "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
        if (secret && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, body, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }
}
