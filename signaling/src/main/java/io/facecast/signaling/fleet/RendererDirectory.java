package io.facecast.signaling.fleet;

import io.facecast.signaling.backend.RendererBackend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The renderers signaling talks to: one per node, by address, each over its own channel (opened when first needed,
 * through the same mutual-TLS channel factory); the empty address is the default renderer ({@code --renderer}), the
 * single-host layout. Also remembers which renderers this replica saw down, so Speak can answer at once with what
 * to do instead of waiting for a deadline.
 */
public final class RendererDirectory implements AutoCloseable {

    private final RendererBackend defaultRenderer;
    private final String defaultAddress;
    private final Function<String, RendererBackend> connect;
    private final Map<String, RendererBackend> byAddress = new LinkedHashMap<>();
    private final Set<String> down = ConcurrentHashMap.newKeySet();

    /**
     * @param defaultAddress the default renderer's address (a node naming it is served by the same channel)
     * @param connect        opens a backend for another node's renderer address
     */
    public RendererDirectory(RendererBackend defaultRenderer, String defaultAddress, Function<String, RendererBackend> connect) {
        this.defaultRenderer = defaultRenderer;
        this.defaultAddress = defaultAddress == null ? "" : defaultAddress;
        this.connect = connect;
    }

    /** Where a session on a node with this renderer address is rendered; empty: the default renderer. */
    public synchronized RendererBackend at(String address) {
        if (address == null || address.isEmpty() || address.equals(defaultAddress)) {
            return defaultRenderer;
        }
        return byAddress.computeIfAbsent(address, connect);
    }

    /** The address a node's renderer is known by here (the default renderer's own for an empty one). */
    public String normalize(String address) {
        return address == null || address.isEmpty() ? defaultAddress : address;
    }

    /** The default renderer first, then every node renderer this replica has talked to. */
    public synchronized List<RendererBackend> all() {
        List<RendererBackend> all = new ArrayList<>();
        all.add(defaultRenderer);
        all.addAll(byAddress.values());
        return all;
    }

    public void markDown(String address) {
        down.add(normalize(address));
    }

    public void markUp(String address) {
        down.remove(normalize(address));
    }

    public boolean isDown(String address) {
        return down.contains(normalize(address));
    }

    @Override
    public synchronized void close() {
        for (RendererBackend backend : byAddress.values()) {
            if (backend instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // shutting down
                }
            }
        }
        byAddress.clear();
    }
}
