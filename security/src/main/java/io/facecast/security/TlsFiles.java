package io.facecast.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's TLS material in a TLS directory: the cluster CA certificate, and its own certificate and key named
 * after its fleet id ({@code <dir>/ca.crt}, {@code <dir>/<id>.crt}, {@code <dir>/<id>.key}). Every process takes
 * {@code --tls-dir DIR}; a deployment can hand each host a directory holding only its own files.
 */
public record TlsFiles(Path ca, Path cert, Path key) {

    /** Where processes look when not given {@code --tls-dir}: {@code $FACECAST_TLS_DIR}, else {@code ~/.facecast/tls}. */
    public static Path defaultDir() {
        String env = System.getenv("FACECAST_TLS_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".facecast", "tls");
    }

    public static TlsFiles in(Path dir, String id) {
        FleetIdentity.checkId(id);
        return new TlsFiles(dir.resolve(ClusterCa.CA_CERT), dir.resolve(id + ".crt"), dir.resolve(id + ".key"));
    }

    /** @throws IOException naming the first missing file and the command that creates it */
    public TlsFiles requireExisting(FleetRole role, String id) throws IOException {
        Path dir = cert.getParent();
        if (!Files.isRegularFile(ca)) {
            throw new IOException("no cluster CA certificate at " + ca + "; create one with: facecast certs init --dir " + dir);
        }
        if (!Files.isRegularFile(cert) || !Files.isRegularFile(key)) {
            throw new IOException("no certificate and key for " + role + " '" + id + "' at " + cert + "; issue them with: "
                    + "facecast certs issue --dir " + dir + " --role " + role + " --id " + id);
        }
        return this;
    }
}
