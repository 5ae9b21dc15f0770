package io.facecast.it;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * deploy/k8s parsed strictly into fabric8's typed Kubernetes model: every document's apiVersion/kind must be one we
 * ship (an unknown kind is an error), and no field may be unknown to the model. fabric8 keeps unknown fields in each
 * object's {@code additionalProperties} instead of failing, so after binding the whole object tree is walked and
 * any non-empty {@code additionalProperties} is reported with its path ({@code spec.template.spec.containers[1].foo}).
 * Duplicate keys in a YAML mapping are errors too.
 */
final class K8sManifests {
    /** The kinds deploy/k8s may contain, by "apiVersion/kind". */
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "v1/Secret", Secret.class, // parsed so that the checks can refuse it with a clear message
            "apps/v1/Deployment", Deployment.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "apps/v1/DaemonSet", DaemonSet.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);
    /** The keys a kustomization.yaml here may use. */
    static final Set<String> KUSTOMIZATION_KEYS = Set.of("apiVersion", "kind", "namespace", "resources", "images");

    static final YAMLMapper YAML = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** The resources in kustomization order, with the file each came from. */
    final List<HasMetadata> resources = new ArrayList<>();
    final Map<HasMetadata, String> source = new LinkedHashMap<>();
    final JsonNode kustomization;

    private K8sManifests(JsonNode kustomization) {
        this.kustomization = kustomization;
    }

    /** deploy/k8s of this checkout. */
    static Path dir() {
        return DeployConfigTest.DEPLOY.resolve("k8s");
    }

    /** Every file of the folder, by name (so a test can mutate one and load the rest as they are). */
    static Map<String, String> files(Path dir) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                    files.put(name, Files.readString(p));
                }
            }
        }
        return files;
    }

    /**
     * Loads the files kustomization.yaml lists, strictly.
     *
     * @throws IllegalArgumentException naming the file and what is wrong
     */
    static K8sManifests load(Map<String, String> files) {
        String k = files.get("kustomization.yaml");
        if (k == null) {
            throw new IllegalArgumentException("kustomization.yaml is missing");
        }
        JsonNode kust = YAML.readTree(k);
        Set<String> unknown = new TreeSet<>(kust.propertyNames());
        unknown.removeAll(KUSTOMIZATION_KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("kustomization.yaml: unknown keys " + unknown);
        }
        if (!kust.path("kind").asString("").equals("Kustomization")) {
            throw new IllegalArgumentException("kustomization.yaml: kind must be Kustomization");
        }
        K8sManifests m = new K8sManifests(kust);
        Set<String> listed = new TreeSet<>();
        for (JsonNode r : kust.path("resources")) {
            String name = r.asString();
            listed.add(name);
            String text = files.get(name);
            if (text == null) {
                throw new IllegalArgumentException("kustomization.yaml lists " + name + ", which does not exist");
            }
            for (HasMetadata resource : parse(text, name)) {
                m.resources.add(resource);
                m.source.put(resource, name);
            }
        }
        Set<String> unlisted = new TreeSet<>(files.keySet());
        unlisted.remove("kustomization.yaml");
        unlisted.removeAll(listed);
        if (!unlisted.isEmpty()) {
            throw new IllegalArgumentException("not listed in kustomization.yaml (kubectl apply -k would skip them): "
                    + unlisted);
        }
        return m;
    }

    /** The documents of one YAML file as typed objects. */
    static List<HasMetadata> parse(String text, String file) {
        List<HasMetadata> out = new ArrayList<>();
        int index = 0;
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                index++;
                if (doc == null || doc.isNull() || doc.isEmpty()) {
                    continue;
                }
                String where = file + " document " + index;
                String key = doc.path("apiVersion").asString("") + "/" + doc.path("kind").asString("");
                Class<? extends HasMetadata> type = KINDS.get(key);
                if (type == null) {
                    throw new IllegalArgumentException(where + ": " + key + " is not a kind deploy/k8s uses " + KINDS.keySet());
                }
                HasMetadata resource = YAML.treeToValue(doc, type);
                List<String> extra = new ArrayList<>();
                unknownFields(resource, "", extra);
                if (!extra.isEmpty()) {
                    throw new IllegalArgumentException(where + " (" + doc.path("kind").asString() + " "
                            + resource.getMetadata().getName() + "): fields unknown to the Kubernetes model: " + extra);
                }
                out.add(resource);
            }
        }
        return out;
    }

    /** Walks fabric8 model objects (beans in io.fabric8 packages), collecting paths of unknown fields. */
    static void unknownFields(Object o, String path, List<String> out) {
        if (o == null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknownFields(e, path + "[" + i++ + "]", out);
            }
            return;
        }
        if (o instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                unknownFields(e.getValue(), path + "." + e.getKey(), out);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = m.getName();
            if (!name.startsWith("get") || name.equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(o);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (name.equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra) {
                    for (Object field : extra.keySet()) {
                        out.add((path.isEmpty() ? "" : path + ".") + field);
                    }
                }
                continue;
            }
            String field = Character.toLowerCase(name.charAt(3)) + name.substring(4);
            unknownFields(value, path.isEmpty() ? field : path + "." + field, out);
        }
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
