package io.facecast.it;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/k8s, strictly: every manifest parsed into fabric8's typed model with unknown fields rejected, then the
 * invariants of {@link K8sChecks}. Each invariant is also shown to catch its breakage, on a mutated copy.
 */
class K8sManifestTest {

    private static Map<String, String> files() throws Exception {
        return K8sManifests.files(K8sManifests.dir());
    }

    @Test
    void theManifestsParseStrictlyAndKeepEveryInvariant() throws Exception {
        K8sManifests m = K8sManifests.load(files());
        assertTrue(m.resources.size() >= 10, "resources: " + m.resources.size());
        List<String> violations = K8sChecks.violations(m);
        assertEquals(List.of(), violations, String.join("\n", violations));
        Set<String> kinds = new TreeSet<>();
        m.resources.forEach(r -> kinds.add(r.getKind()));
        assertTrue(kinds.containsAll(Set.of("StatefulSet", "Deployment", "Service", "PodDisruptionBudget")), kinds.toString());
    }

    static Stream<Arguments> mutations() {
        return Stream.of(
                Arguments.of("node.yaml", "medium: Memory", "medium: \"\"", "emptyDir with medium: Memory"),
                Arguments.of("node.yaml", "\"--bus-root\", \"/bus\", \"--tls-dir\", \"/tls\",\n                 \"--max-sessions\"",
                        "\"--bus-root\", \"/bus2\", \"--tls-dir\", \"/tls\",\n                 \"--max-sessions\"",
                        "need the same --bus-root"),
                Arguments.of("node.yaml", "port: 9471\n            periodSeconds: 5", "port: 9999\n            periodSeconds: 5",
                        "readinessProbe port 9999 is not a port the container declares"),
                Arguments.of("node.yaml", "path: /readyz\n              port: 9461", "path: /readyz\n              port: control",
                        "readinessProbe port 50061 is not the port its flags serve health on (9461)"),
                Arguments.of("node.yaml", "terminationGracePeriodSeconds: 3900", "terminationGracePeriodSeconds: 600",
                        "terminationGracePeriodSeconds 600 is shorter than renderer's --drain-timeout 3600 s"),
                Arguments.of("node.yaml", "preStop:", "postStart:", "container renderer: lifecycle.preStop exec"),
                Arguments.of("node.yaml", "\"--drain-port\", \"9471\"", "\"--drain-port\", \"9461\"",
                        "preStop --drain-port 9461 is not the container's --ops-port 9471"),
                Arguments.of("node.yaml", "\"--max-sessions\"", "\"--max-session\"", "--max-session is not an option of StreamerMain"),
                Arguments.of("node.yaml", "dnsPolicy: ClusterFirstWithHostNet", "dnsPolicy: ClusterFirst",
                        "needs dnsPolicy ClusterFirstWithHostNet"),
                Arguments.of("node.yaml", "hostNetwork: true", "hostNetwork: false",
                        "without host networking the streamer needs --rtc-port-range"),
                Arguments.of("node.yaml", "\"--signaling\", \"facecast-signaling-internal:50052\"",
                        "\"--signaling\", \"facecast-signaling-internal:50053\"", "--signaling facecast-signaling-internal:50053 names no Service"),
                Arguments.of("signaling.yaml", "replicas: 2", "replicas: 1", "signaling needs at least 2"),
                Arguments.of("signaling.yaml", "            - name: FACECAST_API_KEY\n              valueFrom:\n"
                                + "                secretKeyRef:\n                  name: facecast-secrets\n                  key: api-key\n",
                        "            - name: FACECAST_API_KEY\n              value: fck_000000000000_notasecret\n",
                        "env FACECAST_API_KEY must come from a Secret"),
                Arguments.of("signaling.yaml", "\"--log-format\", \"json\"]", "\"--log-format\", \"json\", \"--turn-secret\", \"s\"]",
                        "--turn-secret puts a secret on the command line"),
                Arguments.of("signaling.yaml", "      port: 8080\n      targetPort: http", "      port: 8080\n      targetPort: 8081",
                        "--http-port 8080 is behind no Service"),
                Arguments.of("signaling.yaml", "\"redis://facecast-redis:6379\"", "\"redis://127.0.0.1:6379\"",
                        "--registry redis://127.0.0.1:6379 names no Service"),
                Arguments.of("redis.yaml", "              cpu: 100m\n              memory: 128Mi\n", "              cpu: 100m\n",
                        "container redis: resources.requests needs cpu and memory"),
                Arguments.of("coturn.yaml", "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false",
                        "container coturn: securityContext needs readOnlyRootFilesystem"),
                Arguments.of("coturn.yaml", "image: coturn/coturn:4.6", "image: example/turn:1", "no coturn workload"),
                Arguments.of("node.yaml", "image: facecast/streamer:0.1.0-SNAPSHOT", "image: facecast/streamer:latest",
                        "image facecast/streamer:latest is not one that docker/build-images.py builds"),
                Arguments.of("config.yaml", "  ICE_TRANSPORT_POLICY: \"all\"\n", "  ICE_TRANSPORT_POLICY: \"all\"\n---\n"
                        + "apiVersion: v1\nkind: Secret\nmetadata:\n  name: oops\nstringData:\n  api-key: x\n",
                        "Secret oops in config.yaml: no secret belongs in the manifests"));
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("mutations")
    void eachInvariantCatchesItsBreakage(String file, String from, String to, String expected) throws Exception {
        Map<String, String> files = files();
        String text = files.get(file);
        assertTrue(text.contains(from), file + " no longer contains the text this mutation changes: " + from);
        files.put(file, text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
        List<String> violations = K8sChecks.violations(K8sManifests.load(files));
        assertTrue(violations.stream().anyMatch(v -> v.contains(expected)),
                "expected a violation containing '" + expected + "', got:\n" + String.join("\n", violations));
    }

    @Test
    void unknownFieldsKindsAndFilesAreRejectedAtParse() throws Exception {
        Map<String, String> files = files();
        Map<String, String> typo = new LinkedHashMap<>(files);
        typo.put("node.yaml", files.get("node.yaml").replace("hostNetwork: true", "hostNetwork: true\n      hostNetworking: true"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> K8sManifests.load(typo));
        assertTrue(e.getMessage().contains("node.yaml") && e.getMessage().contains("spec.template.spec.hostNetworking"),
                e.getMessage());

        Map<String, String> nested = new LinkedHashMap<>(files);
        nested.put("redis.yaml", files.get("redis.yaml").replace("emptyDir: {}", "emptyDir: {mediumm: Memory}"));
        e = assertThrows(IllegalArgumentException.class, () -> K8sManifests.load(nested));
        assertTrue(e.getMessage().contains("volumes[0].emptyDir.mediumm"), e.getMessage());

        Map<String, String> kind = new LinkedHashMap<>(files);
        kind.put("redis.yaml", files.get("redis.yaml").replace("apiVersion: apps/v1\nkind: Deployment", "apiVersion: apps/v1beta1\nkind: Deployment"));
        e = assertThrows(IllegalArgumentException.class, () -> K8sManifests.load(kind));
        assertTrue(e.getMessage().contains("apps/v1beta1/Deployment is not a kind"), e.getMessage());

        Map<String, String> duplicate = new LinkedHashMap<>(files);
        duplicate.put("config.yaml", files.get("config.yaml") + "  TURN_URL: \"turn:other:3478\"\n");
        assertThrows(RuntimeException.class, () -> K8sManifests.load(duplicate), "duplicate key TURN_URL");

        Map<String, String> unlisted = new LinkedHashMap<>(files);
        unlisted.put("extra.yaml", files.get("config.yaml"));
        e = assertThrows(IllegalArgumentException.class, () -> K8sManifests.load(unlisted));
        assertTrue(e.getMessage().contains("not listed in kustomization.yaml") && e.getMessage().contains("extra.yaml"),
                e.getMessage());
    }

    /** make-secrets.sh writes exactly the Secrets, keys and per-node files the manifests read. */
    @Test
    void makeSecretsWritesWhatTheManifestsRead() throws Exception {
        K8sManifests m = K8sManifests.load(files());
        StatefulSet node = m.all(StatefulSet.class).get(0);
        int nodes = node.getSpec().getReplicas();
        Path out = Files.createTempDirectory("facecast-k8s-secrets-");
        try {
            Process p = new ProcessBuilder("bash", K8sManifests.dir().resolve("make-secrets.sh").toString(),
                    Integer.toString(nodes), out.toString()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, log);
            Map<String, Secret> secrets = new LinkedHashMap<>();
            try (Stream<Path> list = Files.list(out.resolve("secrets"))) {
                for (Path f : list.toList()) {
                    for (HasMetadata r : K8sManifests.parse(Files.readString(f), f.getFileName().toString())) {
                        secrets.put(r.getMetadata().getName(), (Secret) r);
                    }
                }
            }
            // Every secretKeyRef and secret volume of the manifests resolves to a key make-secrets.sh wrote.
            for (K8sChecks.Workload w : workloadsOf(m)) {
                for (var c : w.pod().getContainers()) {
                    for (var env : c.getEnv() == null ? List.<io.fabric8.kubernetes.api.model.EnvVar>of() : c.getEnv()) {
                        var ref = env.getValueFrom() == null ? null : env.getValueFrom().getSecretKeyRef();
                        if (ref != null) {
                            Secret s = secrets.get(ref.getName());
                            assertTrue(s != null && s.getData().containsKey(ref.getKey()),
                                    w.name() + " env " + env.getName() + ": " + ref.getName() + "/" + ref.getKey());
                        }
                    }
                }
                for (Volume v : w.pod().getVolumes() == null ? List.<Volume>of() : w.pod().getVolumes()) {
                    if (v.getSecret() != null) {
                        Secret s = secrets.get(v.getSecret().getSecretName());
                        assertTrue(s != null, w.name() + " volume " + v.getName() + ": " + v.getSecret().getSecretName());
                        if (v.getSecret().getItems() != null) {
                            v.getSecret().getItems().forEach(i -> assertTrue(s.getData().containsKey(i.getKey()), i.getKey()));
                        }
                    }
                }
            }
            Set<String> nodeFiles = secrets.get("facecast-node-tls").getData().keySet();
            for (int i = 0; i < nodes; i++) {
                String pod = node.getMetadata().getName() + "-" + i;
                for (String f : List.of(pod + ".crt", pod + ".key", pod + "-renderer.crt", pod + "-renderer.key")) {
                    assertTrue(nodeFiles.contains(f), "facecast-node-tls lacks " + f + ": " + nodeFiles);
                }
            }
            assertTrue(nodeFiles.contains("ca.crt") && nodeFiles.stream().noneMatch(f -> f.startsWith("ca.key")), nodeFiles.toString());
            assertTrue(secrets.get("facecast-signaling-tls").getData().keySet()
                    .containsAll(Set.of("ca.crt", "signaling.crt", "signaling.key")));
            String key = new String(java.util.Base64.getDecoder().decode(secrets.get("facecast-secrets").getData().get("api-key")));
            assertTrue(key.matches("fck_[0-9a-f]{12}_[A-Za-z0-9_-]{43}"), "API key format: " + key.length() + " chars");
        } finally {
            try (Stream<Path> walk = Files.walk(out)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static List<K8sChecks.Workload> workloadsOf(K8sManifests m) {
        List<K8sChecks.Workload> w = new java.util.ArrayList<>();
        for (var d : m.all(io.fabric8.kubernetes.api.model.apps.Deployment.class)) {
            w.add(new K8sChecks.Workload(d, d.getSpec().getTemplate(), d.getSpec().getReplicas()));
        }
        for (var s : m.all(StatefulSet.class)) {
            w.add(new K8sChecks.Workload(s, s.getSpec().getTemplate(), s.getSpec().getReplicas()));
        }
        return w;
    }
}
