package io.facecast.security;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code facecast certs}: the cluster CA and the per-process certificates of the internal control plane.
 * Exit codes: 0 done, 1 refused (a file exists, no CA, ...), 2 usage.
 */
@Command(name = "facecast certs", mixinStandardHelpOptions = true,
        description = "Cluster CA and per-process certificates for the internal control plane (mutual TLS).",
        subcommands = {CertsCommand.Init.class, CertsCommand.Issue.class, CertsCommand.Local.class, CertsCommand.Show.class})
public final class CertsCommand implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return new CommandLine(new CertsCommand())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("certs: " + e.getMessage());
                    return 1;
                })
                .execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Creates the cluster CA: <dir>/ca.key (keep it private) and <dir>/ca.crt.")
    static final class Init implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "Directory of the CA (created if missing).")
        Path dir;

        @Override
        public Integer call() throws Exception {
            X509Certificate ca = ClusterCa.init(dir).certificate();
            System.out.println("cluster CA " + ca.getSubjectX500Principal().getName() + " in " + dir.resolve(ClusterCa.CA_CERT)
                    + ", valid until " + ca.getNotAfter().toInstant());
            return 0;
        }
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Issues one process its key and certificate: <dir>/<id>.key and <dir>/<id>.crt, carrying "
                    + "the identity spiffe://facecast/<role>/<id>.")
    static final class Issue implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "Directory of the CA; the pair is written there.")
        Path dir;
        @Option(names = "--role", required = true, description = "streamer, renderer or signaling.")
        String role;
        @Option(names = "--id", required = true,
                description = "The process's fleet id (a streamer's --id; signaling and renderer use their --id, "
                        + "by default 'signaling' and 'renderer').")
        String id;
        @Option(names = "--days", defaultValue = "365", description = "Validity in days (default ${DEFAULT-VALUE}).")
        int days;
        @Option(names = "--force", description = "Replace an existing pair for this id.")
        boolean force;

        @Override
        public Integer call() throws Exception {
            if (days < 1) {
                throw new IllegalArgumentException("--days must be at least 1");
            }
            FleetIdentity identity = ClusterCa.load(dir).issue(FleetRole.parse(role), id, Duration.ofDays(days), force);
            System.out.println("issued " + identity + ": " + TlsFiles.in(dir, id).cert() + " and " + TlsFiles.in(dir, id).key());
            return 0;
        }
    }

    @Command(name = "local", mixinStandardHelpOptions = true,
            description = "For a stack on one machine: creates the CA in <dir> unless there is one, and issues "
                    + "signaling, renderer and each --streamer their pair unless they have one. Prints nothing new.")
    static final class Local implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "Directory of the CA and every pair.")
        Path dir;
        @Option(names = "--streamer", defaultValue = "streamer-1", description = "A streamer id, repeatable (default ${DEFAULT-VALUE}).")
        java.util.List<String> streamers;

        @Override
        public Integer call() throws Exception {
            ClusterCa ca = java.nio.file.Files.exists(dir.resolve(ClusterCa.CA_CERT)) ? ClusterCa.load(dir) : ClusterCa.init(dir);
            java.util.Map<String, FleetRole> wanted = new java.util.LinkedHashMap<>();
            wanted.put("signaling", FleetRole.SIGNALING);
            wanted.put("renderer", FleetRole.RENDERER);
            streamers.forEach(id -> wanted.put(id, FleetRole.STREAMER));
            for (var entry : wanted.entrySet()) {
                if (!java.nio.file.Files.exists(TlsFiles.in(dir, entry.getKey()).cert())) {
                    System.out.println("issued " + ca.issue(entry.getValue(), entry.getKey(), ClusterCa.DEFAULT_VALIDITY, false));
                }
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints a certificate's identity and validity.")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "CERT", description = "A PEM certificate file.")
        Path file;

        @Override
        public Integer call() throws Exception {
            X509Certificate cert = Pem.readCertificate(file);
            String identity;
            try {
                identity = FleetIdentity.of(cert).uri();
            } catch (IllegalArgumentException e) {
                identity = "(none: " + e.getMessage() + ")";
            }
            System.out.println("subject:  " + cert.getSubjectX500Principal().getName());
            System.out.println("issuer:   " + cert.getIssuerX500Principal().getName());
            System.out.println("identity: " + identity);
            System.out.println("valid:    " + cert.getNotBefore().toInstant() + " .. " + cert.getNotAfter().toInstant());
            System.out.println("sha256:   " + FleetIdentity.fingerprint(cert));
            return 0;
        }
    }
}
