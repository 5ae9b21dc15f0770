package io.facecast.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker-compose.yml's two-node profile, as docker-compose resolves it (anchors and merges applied): Redis, two
 * signaling replicas sharing it, two nodes whose renderer and streamer share that node's own memory-backed bus at
 * the same path, every streamer pointed at its own node's renderer and at every replica's internal port, no two
 * services on one port (host networking), and only flags the *Main classes have.
 */
class ComposeFleetTest {
    private static final String PROFILE = "two-node";
    /** Ports a process takes when its flag is absent. */
    private static final Map<String, Map<String, Integer>> DEFAULT_PORTS = Map.of(
            "facecast/signaling", Map.of("--port", 50051, "--http-port", 8080, "--internal-port", 50052),
            "facecast/renderer", Map.of("--port", 50061, "--ops-port", 9461),
            "facecast/streamer", Map.of("--port", 50071, "--ops-port", 9471));

    static JsonNode resolvedCompose() throws Exception {
        Path root = DeployConfigTest.DEPLOY.getParent();
        Process p;
        try {
            p = new ProcessBuilder("docker-compose", "-f", "docker-compose.yml", "--profile", PROFILE, "config")
                    .directory(root.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (java.io.IOException e) {
            if (System.getenv("FACECAST_REQUIRE_BROWSER") != null) {
                throw new IllegalStateException("docker-compose is missing (CI requires it)", e);
            }
            Assumptions.assumeTrue(false, "docker-compose not installed");
            throw e;
        }
        String yaml = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "docker-compose config failed");
        return K8sManifests.YAML.readTree(yaml);
    }

    private record Svc(String name, String image, Map<String, String> flags, List<String> command,
                       Map<String, String> mounts, boolean inProfile) {
    }

    private static List<Svc> services(JsonNode compose) {
        List<Svc> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : compose.path("services").properties()) {
            JsonNode s = e.getValue();
            List<String> command = new ArrayList<>();
            s.path("command").forEach(c -> command.add(c.asString()));
            Map<String, String> mounts = new LinkedHashMap<>();
            for (JsonNode v : s.path("volumes")) {
                String[] parts = v.asString().split(":");
                mounts.put(parts[1], parts[0]);
            }
            boolean inProfile = false;
            for (JsonNode pr : s.path("profiles")) {
                inProfile |= pr.asString().equals(PROFILE);
            }
            String image = s.path("image").asString("");
            out.add(new Svc(e.getKey(), image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image,
                    K8sChecks.parseFlags(command), command, mounts, inProfile));
        }
        return out;
    }

    @Test
    void theTwoNodeProfileIsTwoNodesTwoReplicasAndRedis() throws Exception {
        JsonNode compose = resolvedCompose();
        List<Svc> all = services(compose);
        List<Svc> fleet = all.stream().filter(Svc::inProfile).toList();
        List<String> problems = new ArrayList<>();

        Svc redis = fleet.stream().filter(s -> s.image().equals("redis")).findFirst().orElse(null);
        assertTrue(redis != null, "the two-node profile has no redis service");
        String redisAt = "127.0.0.1:" + redis.command().get(redis.command().indexOf("--port") + 1);

        List<Svc> signaling = fleet.stream().filter(s -> s.image().equals("facecast/signaling")
                && !s.command().contains("certs")).toList();
        List<Svc> renderers = fleet.stream().filter(s -> s.image().equals("facecast/renderer")).toList();
        List<Svc> streamers = fleet.stream().filter(s -> s.image().equals("facecast/streamer")).toList();
        assertEquals(2, signaling.size(), "signaling replicas");
        assertEquals(2, renderers.size(), "renderers");
        assertEquals(2, streamers.size(), "streamers");
        for (Svc s : signaling) {
            if (!("redis://" + redisAt).equals(s.flags().get("--registry"))) {
                problems.add(s.name() + ": --registry " + s.flags().get("--registry") + ", not redis://" + redisAt);
            }
        }
        List<String> buses = new ArrayList<>();
        for (Svc st : streamers) {
            String renderer = st.flags().get("--renderer");
            Svc r = renderers.stream().filter(x -> renderer != null && renderer.equals(
                    x.flags().getOrDefault("--host", "127.0.0.1") + ":" + x.flags().get("--port"))).findFirst().orElse(null);
            if (r == null) {
                problems.add(st.name() + ": --renderer " + renderer + " is no renderer of the profile");
                continue;
            }
            String busRoot = st.flags().get("--bus-root");
            String volume = st.mounts().get(busRoot);
            if (busRoot == null || !busRoot.equals(r.flags().get("--bus-root")) || volume == null
                    || !volume.equals(r.mounts().get(busRoot))) {
                problems.add(st.name() + " and " + r.name() + ": not one bus volume at one --bus-root");
            } else if (!compose.path("volumes").path(volume).path("driver_opts").path("type").asString("").equals("tmpfs")) {
                problems.add(volume + ": the bus must be memory-backed (tmpfs)");
            }
            buses.add(volume);
            // The renderer belongs to the node through the streamer's --renderer; the node's name is the streamer's.
            if (!st.flags().containsKey("--node-id")) {
                problems.add(st.name() + ": a node's streamer names its node (--node-id)");
            }
            // Every replica's internal port, each once: the streamer registers with another when its replica dies.
            String reg = st.flags().getOrDefault("--signaling", "");
            Set<String> internal = new java.util.HashSet<>();
            signaling.forEach(s -> internal.add("127.0.0.1:" + s.flags().get("--internal-port")));
            List<String> listed = List.of(reg.split(",", -1));
            for (String entry : listed) {
                if (!internal.contains(entry)) {
                    problems.add(st.name() + ": --signaling entry '" + entry + "' is no replica's internal port");
                }
            }
            if (!Set.copyOf(listed).equals(internal) || listed.size() != internal.size()) {
                problems.add(st.name() + ": --signaling " + reg + " does not list every replica once " + internal);
            }
        }
        if (Set.copyOf(buses).size() != buses.size()) {
            problems.add("two nodes share a bus volume: " + buses);
        }
        // Host networking everywhere: every port of every service (the one-node stack's too) once.
        Map<Integer, String> ports = new LinkedHashMap<>();
        for (Svc s : all) {
            Map<String, Integer> defaults = DEFAULT_PORTS.get(s.image());
            if (defaults == null || s.command().contains("certs")) {
                continue;
            }
            for (Map.Entry<String, Integer> d : defaults.entrySet()) {
                int port = Integer.parseInt(s.flags().getOrDefault(d.getKey(), d.getValue().toString()));
                String before = ports.put(port, s.name() + " " + d.getKey());
                if (before != null) {
                    problems.add("port " + port + " taken twice: " + before + " and " + s.name() + " " + d.getKey());
                }
            }
        }
        for (Svc s : all) {
            var main = K8sChecks.MAINS.get(s.image());
            if (main == null || s.command().contains("certs")) {
                continue;
            }
            Set<String> known = new CommandLine(main.get()).getCommandSpec().optionsMap().keySet();
            for (String flag : s.flags().keySet()) {
                if (!known.contains(flag) && !K8sChecks.PENDING_FLAGS.getOrDefault(s.image(), Set.of()).contains(flag)) {
                    problems.add(s.name() + ": " + flag + " is not an option of " + main.get().getClass().getSimpleName());
                }
            }
        }
        assertEquals(List.of(), problems, String.join("\n", problems));
    }
}
