package io.facecast.it;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.facecast.renderer.RendererMain;
import io.facecast.signaling.SignalingMain;
import io.facecast.streamer.StreamerMain;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The invariants deploy/k8s must keep (each one is a sentence in the manifests' comments), checked on the typed
 * objects of {@link K8sManifests}. {@link #violations} lists every broken one, so a test shows them all at once.
 */
final class K8sChecks {
    /** The project's images and the *Main whose picocli options their args must use. */
    static final Map<String, Supplier<Object>> MAINS = Map.of(
            "facecast/signaling", SignalingMain::new,
            "facecast/renderer", RendererMain::new,
            "facecast/streamer", StreamerMain::new);
    /** Flags the manifests may use before their Main has them (a branch being merged); empty when all are in. */
    static final Map<String, Set<String>> PENDING_FLAGS = Map.of();
    /** Environment variables that carry secrets: only ever from a Secret. */
    private static final Pattern SECRET_ENV = Pattern.compile("(?i).*(SECRET|KEY|PASSWORD|TOKEN|CREDENTIAL).*");
    /** Flags that would put a secret on a command line (visible in the process list). */
    static final Set<String> SECRET_FLAGS = Set.of("--turn-secret", "--tts-http-key", "--api-key");
    static final String VERSION = "0.1.0-SNAPSHOT";
    /** PreStopDrain's class, which the preStop hooks run from the image's class path. */
    static final String DRAIN_HOOK = "io.facecast.ops.PreStopDrain";

    private final K8sManifests m;
    private final List<String> out = new ArrayList<>();

    private K8sChecks(K8sManifests m) {
        this.m = m;
    }

    static List<String> violations(K8sManifests m) {
        K8sChecks c = new K8sChecks(m);
        c.run();
        return c.out;
    }

    /** A workload and its pod template. */
    record Workload(HasMetadata resource, PodTemplateSpec template, Integer replicas) {
        String name() {
            return resource.getKind() + " " + resource.getMetadata().getName();
        }

        PodSpec pod() {
            return template.getSpec();
        }

        String component() {
            Map<String, String> labels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
            return labels == null ? "" : labels.getOrDefault("app.kubernetes.io/component", "");
        }

        Optional<Container> container(String image) {
            return pod().getContainers().stream().filter(c -> imageName(c).equals(image)).findFirst();
        }
    }

    List<Workload> workloads() {
        List<Workload> w = new ArrayList<>();
        for (Deployment d : m.all(Deployment.class)) {
            w.add(new Workload(d, d.getSpec().getTemplate(), d.getSpec().getReplicas()));
        }
        for (StatefulSet s : m.all(StatefulSet.class)) {
            w.add(new Workload(s, s.getSpec().getTemplate(), s.getSpec().getReplicas()));
        }
        for (DaemonSet d : m.all(DaemonSet.class)) {
            w.add(new Workload(d, d.getSpec().getTemplate(), null));
        }
        return w;
    }

    private void fail(String what) {
        out.add(what);
    }

    private void run() {
        for (Secret s : m.all(Secret.class)) {
            fail("Secret " + s.getMetadata().getName() + " in " + m.source.get(s)
                    + ": no secret belongs in the manifests (make-secrets.sh writes them outside the repository)");
        }
        List<Workload> workloads = workloads();
        for (Workload w : workloads) {
            checkPod(w);
        }
        checkNode(workloads);
        checkSignaling(workloads);
        checkSupport(workloads, "redis:", "redis");
        checkSupport(workloads, "coturn/coturn:", "coturn");
        checkImages();
    }

    // ---- every pod and container

    private void checkPod(Workload w) {
        PodSpec pod = w.pod();
        if (pod.getSecurityContext() == null || !Boolean.TRUE.equals(pod.getSecurityContext().getRunAsNonRoot())) {
            fail(w.name() + ": pod securityContext.runAsNonRoot must be true");
        }
        if (Boolean.TRUE.equals(pod.getHostNetwork()) && !"ClusterFirstWithHostNet".equals(pod.getDnsPolicy())) {
            fail(w.name() + ": host networking needs dnsPolicy ClusterFirstWithHostNet (cluster DNS names)");
        }
        List<Container> all = new ArrayList<>(pod.getContainers());
        if (pod.getInitContainers() != null) {
            all.addAll(pod.getInitContainers());
        }
        for (Container c : all) {
            String where = w.name() + " container " + c.getName();
            checkResources(where, c.getResources());
            var sc = c.getSecurityContext();
            if (sc == null || !Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())
                    || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
                fail(where + ": securityContext needs readOnlyRootFilesystem: true and allowPrivilegeEscalation: false");
            }
            checkSecrets(where, c, pod);
            checkFlags(where, c);
        }
    }

    private void checkResources(String where, ResourceRequirements r) {
        Map<String, Quantity> requests = r == null ? null : r.getRequests();
        if (requests == null || !requests.containsKey("cpu") || !requests.containsKey("memory")) {
            fail(where + ": resources.requests needs cpu and memory (sized from the measured per-session cost)");
        }
        if (r == null || r.getLimits() == null || !r.getLimits().containsKey("memory")) {
            fail(where + ": resources.limits needs memory");
        }
    }

    private void checkSecrets(String where, Container c, PodSpec pod) {
        if (c.getEnv() != null) {
            for (EnvVar e : c.getEnv()) {
                if (SECRET_ENV.matcher(e.getName()).matches()
                        && (e.getValueFrom() == null || e.getValueFrom().getSecretKeyRef() == null)) {
                    fail(where + ": env " + e.getName() + " must come from a Secret (valueFrom.secretKeyRef)");
                }
            }
        }
        for (String arg : args(c)) {
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (SECRET_FLAGS.contains(flag)) {
                fail(where + ": " + flag + " puts a secret on the command line; use its environment variable from a Secret");
            }
        }
        String tlsDir = flags(c).get("--tls-dir");
        if (tlsDir != null && !secretMountedAt(c, pod, tlsDir)) {
            fail(where + ": --tls-dir " + tlsDir + " must be a Secret volume's mount");
        }
    }

    private static boolean secretMountedAt(Container c, PodSpec pod, String path) {
        for (VolumeMount vm : Objects.requireNonNullElse(c.getVolumeMounts(), List.<VolumeMount>of())) {
            if (vm.getMountPath().equals(path)) {
                Volume v = volume(pod, vm.getName());
                return v != null && (v.getSecret() != null
                        || (v.getProjected() != null && v.getProjected().getSources().stream().allMatch(s -> s.getSecret() != null)));
            }
        }
        return false;
    }

    private void checkFlags(String where, Container c) {
        Supplier<Object> main = MAINS.get(imageName(c));
        if (main == null) {
            return;
        }
        Set<String> known = new CommandLine(main.get()).getCommandSpec().optionsMap().keySet();
        Set<String> pending = PENDING_FLAGS.getOrDefault(imageName(c), Set.of());
        for (String flag : flags(c).keySet()) {
            if (!known.contains(flag) && !pending.contains(flag)) {
                fail(where + ": " + flag + " is not an option of " + main.get().getClass().getSimpleName());
            }
        }
    }

    // ---- the node pod

    private void checkNode(List<Workload> workloads) {
        List<Workload> nodes = workloads.stream().filter(w -> w.component().equals("node")).toList();
        if (nodes.isEmpty()) {
            fail("no node workload (component node: renderer + streamer)");
            return;
        }
        for (Workload w : nodes) {
            if (!(w.resource() instanceof StatefulSet) && !(w.resource() instanceof DaemonSet)) {
                fail(w.name() + ": a node is a StatefulSet or a DaemonSet (one stable identity per host)");
            }
            Optional<Container> renderer = w.container("facecast/renderer");
            Optional<Container> streamer = w.container("facecast/streamer");
            if (renderer.isEmpty() || streamer.isEmpty()) {
                fail(w.name() + ": a node pod runs a renderer and a streamer container");
                continue;
            }
            checkBus(w, renderer.get(), streamer.get());
            PodSpec pod = w.pod();
            Map<String, String> sf = flags(streamer.get());
            if (!Boolean.TRUE.equals(pod.getHostNetwork())) {
                // webrtc-java rewrites no candidate address, so a pod network reaches clients only through a TURN
                // relay; the streamer's media ports must still be a declared range.
                String range = sf.get("--rtc-port-range");
                boolean declared = range != null && streamer.get().getPorts() != null && streamer.get().getPorts()
                        .stream().anyMatch(p -> "UDP".equals(p.getProtocol())
                                && range.startsWith(String.valueOf(p.getContainerPort())));
                if (!declared) {
                    fail(w.name() + ": without host networking the streamer needs --rtc-port-range with its UDP ports"
                            + " declared as container ports (and clients a TURN relay)");
                }
            }
            long grace = pod.getTerminationGracePeriodSeconds() == null ? 30 : pod.getTerminationGracePeriodSeconds();
            for (Container c : List.of(renderer.get(), streamer.get())) {
                String where = w.name() + " container " + c.getName();
                int ops = opsPort(where, c, "--ops-port");
                checkProbes(where, c, ops);
                Map<String, String> f = flags(c);
                Long drain = f.containsKey("--drain-timeout") ? seconds(f.get("--drain-timeout")) : null;
                if (drain == null) {
                    fail(where + ": --drain-timeout must be set (how long live sessions may play on after SIGTERM)");
                } else if (grace < drain) {
                    fail(w.name() + ": terminationGracePeriodSeconds " + grace + " is shorter than " + c.getName()
                            + "'s --drain-timeout " + drain + " s");
                }
                checkPreStop(where, c, ops, grace, opsPort(where, streamer.get(), "--ops-port"));
            }
        }
    }

    private void checkBus(Workload w, Container renderer, Container streamer) {
        String rb = flags(renderer).get("--bus-root");
        String sb = flags(streamer).get("--bus-root");
        if (rb == null || !rb.equals(sb)) {
            fail(w.name() + ": renderer and streamer need the same --bus-root (renderer " + rb + ", streamer " + sb + ")");
            return;
        }
        VolumeMount rm = mountAt(renderer, rb);
        VolumeMount sm = mountAt(streamer, sb);
        if (rm == null || sm == null || !rm.getName().equals(sm.getName())) {
            fail(w.name() + ": the bus " + rb + " must be one volume mounted at that path in both containers");
            return;
        }
        Volume v = volume(w.pod(), rm.getName());
        if (v == null || v.getEmptyDir() == null || !"Memory".equals(v.getEmptyDir().getMedium())) {
            fail(w.name() + ": the bus volume " + rm.getName() + " must be an emptyDir with medium: Memory");
        }
        if (Boolean.TRUE.equals(rm.getReadOnly()) || Boolean.TRUE.equals(sm.getReadOnly())) {
            fail(w.name() + ": both containers write the bus (queues, feedback): no readOnly mount");
        }
    }

    private void checkPreStop(String where, Container c, int ops, long grace, int streamerOps) {
        var lifecycle = c.getLifecycle();
        if (lifecycle == null || lifecycle.getPreStop() == null || lifecycle.getPreStop().getExec() == null) {
            fail(where + ": lifecycle.preStop exec (drain, then wait for the sessions) is missing");
            return;
        }
        List<String> cmd = lifecycle.getPreStop().getExec().getCommand();
        if (!cmd.contains(DRAIN_HOOK)) {
            fail(where + ": preStop must run " + DRAIN_HOOK);
            return;
        }
        try {
            Class.forName(DRAIN_HOOK);
        } catch (ClassNotFoundException e) {
            fail(where + ": " + DRAIN_HOOK + " is not on the class path");
        }
        Map<String, String> hook = parseFlags(cmd.subList(cmd.indexOf(DRAIN_HOOK) + 1, cmd.size()));
        if (!String.valueOf(ops).equals(hook.get("--drain-port"))) {
            fail(where + ": preStop --drain-port " + hook.get("--drain-port") + " is not the container's --ops-port " + ops);
        }
        if (!String.valueOf(streamerOps).equals(hook.get("--wait-port"))) {
            fail(where + ": preStop --wait-port " + hook.get("--wait-port") + " must be the streamer's --ops-port "
                    + streamerOps + " (wait until its sessions have ended)");
        }
        Long timeout = hook.containsKey("--timeout") ? seconds(hook.get("--timeout")) : null;
        if (timeout == null || timeout > grace) {
            fail(where + ": preStop --timeout " + hook.get("--timeout") + " must be set and within "
                    + "terminationGracePeriodSeconds " + grace);
        }
    }

    private int opsPort(String where, Container c, String flag) {
        String v = flags(c).get(flag);
        if (v == null) {
            fail(where + ": " + flag + " must be set (the probes and the preStop hook use it)");
            return -1;
        }
        return Integer.parseInt(v);
    }

    private void checkProbes(String where, Container c, int port) {
        checkProbe(where, "readinessProbe", c.getReadinessProbe(), "/readyz", c, port);
        checkProbe(where, "livenessProbe", c.getLivenessProbe(), "/healthz", c, port);
    }

    private void checkProbe(String where, String kind, Probe probe, String path, Container c, int port) {
        HTTPGetAction get = probe == null ? null : probe.getHttpGet();
        if (get == null) {
            fail(where + ": " + kind + " must be an httpGet on " + path);
            return;
        }
        if (!path.equals(get.getPath())) {
            fail(where + ": " + kind + " path " + get.getPath() + " should be " + path);
        }
        Integer resolved = resolvePort(c, get.getPort());
        if (resolved == null) {
            fail(where + ": " + kind + " port " + portText(get.getPort()) + " is not a port the container declares");
        } else if (resolved != port) {
            fail(where + ": " + kind + " port " + resolved + " is not the port its flags serve health on (" + port + ")");
        }
    }

    // ---- signaling

    private void checkSignaling(List<Workload> workloads) {
        List<Workload> sig = workloads.stream().filter(w -> w.container("facecast/signaling").isPresent()).toList();
        if (sig.size() != 1) {
            fail("expected one signaling workload, found " + sig.size());
            return;
        }
        Workload w = sig.get(0);
        if (!(w.resource() instanceof Deployment)) {
            fail(w.name() + ": signaling is a Deployment (stateless replicas; state in Redis)");
        }
        if (w.replicas() == null || w.replicas() < 2) {
            fail(w.name() + ": replicas " + w.replicas() + " (signaling needs at least 2)");
        }
        Container c = w.container("facecast/signaling").get();
        String where = w.name() + " container " + c.getName();
        int http = opsPort(where, c, "--http-port");
        checkProbes(where, c, http);
        Map<String, String> f = flags(c);
        List<Service> services = servicesFor(w);
        for (String flag : List.of("--port", "--http-port", "--internal-port")) {
            String v = f.get(flag);
            if (v == null) {
                fail(where + ": " + flag + " must be set");
                continue;
            }
            int p = Integer.parseInt(v);
            boolean exposed = services.stream().anyMatch(s -> s.getSpec().getPorts().stream()
                    .anyMatch(sp -> Objects.equals(resolvePort(c, sp.getTargetPort() == null
                            ? new IntOrString(sp.getPort()) : sp.getTargetPort()), p)));
            if (!exposed) {
                fail(where + ": " + flag + " " + p + " is behind no Service");
            }
        }
        String registry = f.get("--registry");
        if (registry == null || !registry.startsWith("redis://")) {
            fail(where + ": --registry redis://HOST:PORT must be set (replicas share state through Redis)");
        } else {
            String hostPort = registry.substring("redis://".length());
            if (!serviceAt(hostPort)) {
                fail(where + ": --registry " + registry + " names no Service and port in the manifests");
            }
        }
        // The node's streamers register at signaling's internal port through a Service (a list: each entry one).
        for (Workload n : workloads) {
            n.container("facecast/streamer").ifPresent(s -> {
                String target = flags(s).get("--signaling");
                if (target == null || !java.util.Arrays.stream(target.split(",", -1)).allMatch(this::serviceAt)) {
                    fail(n.name() + " streamer: --signaling " + target + " names no Service and port in the manifests");
                }
            });
        }
    }

    private boolean serviceAt(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            return false;
        }
        String host = hostPort.substring(0, colon).split("\\.")[0];
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        return m.all(Service.class).stream().anyMatch(s -> s.getMetadata().getName().equals(host)
                && s.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == port));
    }

    private List<Service> servicesFor(Workload w) {
        Map<String, String> labels = w.template().getMetadata().getLabels();
        return m.all(Service.class).stream().filter(s -> s.getSpec().getSelector() != null
                && labels.entrySet().containsAll(s.getSpec().getSelector().entrySet())).toList();
    }

    private void checkSupport(List<Workload> workloads, String imagePrefix, String what) {
        List<Workload> found = workloads.stream().filter(w -> w.pod().getContainers().stream()
                .anyMatch(c -> c.getImage().startsWith(imagePrefix))).toList();
        if (found.isEmpty()) {
            fail("no " + what + " workload (image " + imagePrefix + "...)");
        }
    }

    private void checkImages() {
        Set<String> named = new TreeSet<>();
        for (var img : m.kustomization.path("images")) {
            named.add(img.path("name").asString());
            if (!img.path("newTag").isMissingNode() && !img.path("newTag").asString().equals(VERSION)) {
                fail("kustomization.yaml: " + img.path("name").asString() + " newTag should be " + VERSION);
            }
        }
        for (Workload w : workloads()) {
            for (Container c : w.pod().getContainers()) {
                if (c.getImage().startsWith("facecast/")) {
                    if (!MAINS.containsKey(imageName(c)) || !c.getImage().equals(imageName(c) + ":" + VERSION)) {
                        fail(w.name() + " container " + c.getName() + ": image " + c.getImage() + " is not one that "
                                + "docker/build-images.py builds (facecast/{signaling,renderer,streamer}:" + VERSION + ")");
                    }
                    if (!named.contains(imageName(c))) {
                        fail("kustomization.yaml images does not list " + imageName(c));
                    }
                    if (c.getCommand() != null && !c.getCommand().isEmpty()) {
                        fail(w.name() + " container " + c.getName() + ": no command (the image's entrypoint has the JVM flags)");
                    }
                }
            }
        }
    }

    // ---- helpers

    static String imageName(Container c) {
        String image = c.getImage();
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
    }

    static List<String> args(Container c) {
        return Objects.requireNonNullElse(c.getArgs(), List.of());
    }

    static Map<String, String> flags(Container c) {
        return parseFlags(args(c));
    }

    /** "--flag value" and "--flag=value" pairs; a flag followed by another flag has the value "". */
    static Map<String, String> parseFlags(List<String> args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                continue;
            }
            if (a.contains("=")) {
                flags.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                flags.put(a, args.get(++i));
            } else {
                flags.put(a, "");
            }
        }
        return flags;
    }

    /** A duration flag in seconds: "3600", "3600s", "60m", "1h". */
    static Long seconds(String v) {
        var matcher = Pattern.compile("(\\d+)(s|m|h)?").matcher(v.trim());
        if (!matcher.matches()) {
            return null;
        }
        long n = Long.parseLong(matcher.group(1));
        return matcher.group(2) == null || matcher.group(2).equals("s") ? n : matcher.group(2).equals("m") ? n * 60 : n * 3600;
    }

    private static VolumeMount mountAt(Container c, String path) {
        return Objects.requireNonNullElse(c.getVolumeMounts(), List.<VolumeMount>of()).stream()
                .filter(vm -> vm.getMountPath().equals(path)).findFirst().orElse(null);
    }

    private static Volume volume(PodSpec pod, String name) {
        return Objects.requireNonNullElse(pod.getVolumes(), List.<Volume>of()).stream()
                .filter(v -> v.getName().equals(name)).findFirst().orElse(null);
    }

    /** The container port a probe or Service target names (by number or by name), or null if it declares none. */
    static Integer resolvePort(Container c, IntOrString port) {
        if (port == null) {
            return null;
        }
        for (ContainerPort cp : Objects.requireNonNullElse(c.getPorts(), List.<ContainerPort>of())) {
            if (port.getIntVal() != null ? cp.getContainerPort().equals(port.getIntVal())
                    : port.getStrVal().equals(cp.getName())) {
                return cp.getContainerPort();
            }
        }
        return null;
    }

    private static String portText(IntOrString p) {
        return p == null ? "null" : p.getIntVal() != null ? p.getIntVal().toString() : p.getStrVal();
    }

    static List<ServicePort> ports(Service s) {
        return s.getSpec().getPorts();
    }
}
