package io.facecast.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCaTest {
    @TempDir
    Path dir;

    @Test
    void initCreatesACaWhoseKeyOnlyTheOwnerReadsAndRefusesToReplaceIt() throws Exception {
        X509Certificate ca = ClusterCa.init(dir).certificate();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key"))));
        assertTrue(ca.getBasicConstraints() >= 0, "a CA certificate");
        ca.verify(ca.getPublicKey());
        IOException again = assertThrows(IOException.class, () -> ClusterCa.init(dir));
        assertTrue(again.getMessage().contains("already holds a cluster CA"), again.getMessage());
    }

    @Test
    void issuedCertificateCarriesTheIdentityAndIsSignedByTheCa() throws Exception {
        ClusterCa ca = ClusterCa.init(dir);
        FleetIdentity identity = ca.issue(FleetRole.STREAMER, "streamer-1", Duration.ofDays(30), false);
        assertEquals("spiffe://facecast/streamer/streamer-1", identity.uri());
        X509Certificate cert = Pem.readCertificate(dir.resolve("streamer-1.crt"));
        cert.verify(ca.certificate().getPublicKey());
        assertEquals(identity, FleetIdentity.of(cert));
        assertEquals(-1, cert.getBasicConstraints(), "not a CA");
        assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), cert.getExtendedKeyUsage(), "server and client auth");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("streamer-1.key"))));

        FleetTls tls = FleetTls.load(dir, FleetRole.STREAMER, "streamer-1");
        assertEquals(identity, tls.self());
    }

    @Test
    void issueRefusesToOverwriteWithoutForceAndReissueGivesANewCertificate() throws Exception {
        ClusterCa ca = ClusterCa.init(dir);
        FleetIdentity first = ca.issue(FleetRole.RENDERER, "renderer", Duration.ofDays(1), false);
        assertThrows(IOException.class, () -> ca.issue(FleetRole.RENDERER, "renderer", Duration.ofDays(1), false));
        FleetIdentity second = ca.issue(FleetRole.RENDERER, "renderer", Duration.ofDays(1), true);
        assertEquals(first.uri(), second.uri());
        assertFalse(first.certificateSha256().equals(second.certificateSha256()), "a new certificate");
    }

    @Test
    void idsThatCouldEscapeTheDirectoryAreRefused() throws Exception {
        ClusterCa ca = ClusterCa.init(dir);
        for (String id : List.of("../x", "a/b", "", ".hidden", "a..b", "x".repeat(64))) {
            assertThrows(IllegalArgumentException.class, () -> ca.issue(FleetRole.STREAMER, id, Duration.ofDays(1), false), id);
        }
    }

    @Test
    void loadRefusesAnotherProcessesCertificateAnotherCasCertificateAndMissingFiles() throws Exception {
        ClusterCa ca = ClusterCa.init(dir);
        ca.issue(FleetRole.STREAMER, "streamer-1", Duration.ofDays(1), false);
        IOException wrongRole = assertThrows(IOException.class, () -> FleetTls.load(dir, FleetRole.RENDERER, "streamer-1"));
        assertTrue(wrongRole.getMessage().contains("is for spiffe://facecast/streamer/streamer-1"), wrongRole.getMessage());

        IOException missing = assertThrows(IOException.class, () -> FleetTls.load(dir, FleetRole.STREAMER, "streamer-2"));
        assertTrue(missing.getMessage().contains("facecast certs issue --dir " + dir + " --role streamer --id streamer-2"),
                missing.getMessage());

        Path other = Files.createDirectory(dir.resolve("other"));
        ClusterCa.init(other).issue(FleetRole.STREAMER, "streamer-1", Duration.ofDays(1), false);
        Files.copy(other.resolve("streamer-1.crt"), dir.resolve("streamer-1.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(other.resolve("streamer-1.key"), dir.resolve("streamer-1.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        IOException foreign = assertThrows(IOException.class, () -> FleetTls.load(dir, FleetRole.STREAMER, "streamer-1"));
        assertTrue(foreign.getMessage().contains("is not a valid certificate of the CA"), foreign.getMessage());
        assertThrows(SignatureException.class, () -> Pem.readCertificate(dir.resolve("streamer-1.crt"))
                .verify(ca.certificate().getPublicKey()));
    }

    @Test
    void commandLineInitIssueShowAndItsRefusals() throws Exception {
        assertEquals(1, CertsCommand.run("issue", "--dir", dir.toString(), "--role", "streamer", "--id", "s1"), "no CA yet");
        assertEquals(0, CertsCommand.run("init", "--dir", dir.toString()));
        assertEquals(1, CertsCommand.run("init", "--dir", dir.toString()), "CA exists");
        assertEquals(0, CertsCommand.run("issue", "--dir", dir.toString(), "--role", "streamer", "--id", "s1"));
        assertEquals(1, CertsCommand.run("issue", "--dir", dir.toString(), "--role", "streamer", "--id", "s1"), "exists");
        assertEquals(1, CertsCommand.run("issue", "--dir", dir.toString(), "--role", "janitor", "--id", "s2"), "no such role");
        assertEquals(2, CertsCommand.run("issue", "--dir", dir.toString()), "usage");
        assertEquals(0, CertsCommand.run("show", dir.resolve("s1.crt").toString()));
        String before = FleetIdentity.fingerprint(Pem.readCertificate(dir.resolve("s1.crt")));
        assertEquals(0, CertsCommand.run("local", "--dir", dir.toString(), "--streamer", "s1", "--streamer", "s2"));
        assertEquals(before, FleetIdentity.fingerprint(Pem.readCertificate(dir.resolve("s1.crt"))), "kept, not replaced");
        for (String id : List.of("signaling", "renderer", "s2")) {
            assertTrue(Files.exists(dir.resolve(id + ".crt")) && Files.exists(dir.resolve(id + ".key")), id);
        }
        assertEquals(FleetIdentity.uri(FleetRole.STREAMER, "s1"), FleetIdentity.of(Pem.readCertificate(dir.resolve("s1.crt"))).uri());
    }

    @Test
    void identitiesOutsideTheTrustDomainOrMalformedAreRefused() {
        for (String uri : List.of("spiffe://other/streamer/s1", "spiffe://facecast/streamer", "spiffe://facecast/streamer/s1/x",
                "spiffe://facecast/admin/s1", "spiffe://facecast/streamer/..", "https://facecast/streamer/s1")) {
            assertThrows(IllegalArgumentException.class, () -> FleetIdentity.parse(uri, "00"), uri);
        }
        assertEquals(new FleetIdentity(FleetRole.SIGNALING, "signaling", "00"), FleetIdentity.parse("spiffe://facecast/signaling/signaling", "00"));
    }
}
