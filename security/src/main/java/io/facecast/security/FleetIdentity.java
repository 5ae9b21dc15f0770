package io.facecast.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Who a fleet process is, as its certificate says: the one URI subject alternative name
 * {@code spiffe://facecast/<role>/<id>} (SPIFFE-style; the subject CN repeats it for people, and is not read).
 * The certificate's SHA-256 fingerprint tells two certificates for the same id apart, so a live registration stays
 * bound to the certificate that made it.
 *
 * @param certificateSha256 hex SHA-256 of the certificate's DER encoding
 */
public record FleetIdentity(FleetRole role, String id, String certificateSha256) {

    public static final String TRUST_DOMAIN = "facecast";
    private static final String PREFIX = "spiffe://" + TRUST_DOMAIN + "/";
    /** Ids are also file names ({@code <dir>/<id>.crt}) and queue directory names: no separators, no dot-dot. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final int SAN_URI = 6;

    public FleetIdentity {
        checkId(id);
    }

    /** @throws IllegalArgumentException when the id could not be a fleet id */
    public static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches() || id.contains("..")) {
            throw new IllegalArgumentException("id '" + id + "' must be 1-63 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit");
        }
        return id;
    }

    public static String uri(FleetRole role, String id) {
        return PREFIX + role.label() + "/" + checkId(id);
    }

    public String uri() {
        return uri(role, id);
    }

    /**
     * The identity a certificate carries.
     *
     * @throws IllegalArgumentException when it carries none, several, or a malformed one
     */
    public static FleetIdentity of(X509Certificate certificate) {
        String uri = null;
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    if (((Integer) name.get(0)) == SAN_URI && String.valueOf(name.get(1)).startsWith("spiffe://")) {
                        if (uri != null) {
                            throw new IllegalArgumentException("certificate carries more than one spiffe:// identity");
                        }
                        uri = String.valueOf(name.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("certificate's subject alternative names do not parse: " + e.getMessage());
        }
        if (uri == null) {
            throw new IllegalArgumentException("certificate carries no " + PREFIX + "<role>/<id> identity");
        }
        return parse(uri, fingerprint(certificate));
    }

    static FleetIdentity parse(String uri, String fingerprint) {
        String path;
        try {
            URI parsed = new URI(uri);
            if (!"spiffe".equals(parsed.getScheme()) || !TRUST_DOMAIN.equals(parsed.getHost())
                    || parsed.getQuery() != null || parsed.getFragment() != null) {
                throw new IllegalArgumentException("identity '" + uri + "' is not in the " + PREFIX + " trust domain");
            }
            path = parsed.getPath();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("identity '" + uri + "' is not a URI");
        }
        String[] parts = path.split("/", -1);
        if (parts.length != 3 || !parts[0].isEmpty()) {
            throw new IllegalArgumentException("identity '" + uri + "' is not " + PREFIX + "<role>/<id>");
        }
        return new FleetIdentity(FleetRole.parse(parts[1]), parts[2], fingerprint);
    }

    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean is(FleetRole expectedRole, String expectedId) {
        return role == expectedRole && id.equals(expectedId);
    }

    @Override
    public String toString() {
        return uri();
    }
}
