package io.facecast.renderer;

import io.facecast.renderer.tts.http.HttpTtsSettings;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How one renderer process runs: its flags, in one record (RendererMain parses them, {@code RendererModule} wires the
 * process from it).
 *
 * @param avatarDir     folder of avatar packs read on each session open, or null for the built-in packs only
 * @param httpTts       the OpenAI-compatible speech endpoint behind "http:&lt;voice&gt;" voices, or NONE
 * @param busRoot       the only directory whose direct children may be queue directories (null: unconfined, tests)
 * @param opsPort       the ops HTTP listener (/metrics, /healthz, /readyz, POST /drain); -1 off, 0 a free port
 * @param renderThreads threads rendering sessions' utterances (and FreeTTS voices kept warm)
 * @param drainTimeout  how long open sessions are served after SIGTERM before the renderer stops anyway
 */
public record RendererConfig(String id, String host, int port, Path avatarDir, HttpTtsSettings httpTts, Path busRoot,
                             int opsPort, int renderThreads, Duration drainTimeout) {
    /** Two render threads: enough to keep sessions faster than real time on the two-core machines we measured. */
    public static final int DEFAULT_RENDER_THREADS = 2;
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofMinutes(30);

    public RendererConfig {
        if (renderThreads < 1 || renderThreads > 256) {
            throw new IllegalArgumentException("--render-threads must be 1 to 256, not " + renderThreads);
        }
        if (drainTimeout == null || drainTimeout.isNegative()) {
            throw new IllegalArgumentException("--drain-timeout must not be negative");
        }
        httpTts = httpTts == null ? HttpTtsSettings.NONE : httpTts;
    }

    /** Tests and tools: no listener, the given packs, TTS and bus root, default threads. */
    public static RendererConfig of(Path avatarDir, HttpTtsSettings httpTts, Path busRoot) {
        return new RendererConfig("renderer", "127.0.0.1", 0, avatarDir, httpTts, busRoot, -1, DEFAULT_RENDER_THREADS,
                DEFAULT_DRAIN_TIMEOUT);
    }
}
