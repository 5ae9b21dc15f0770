package io.facecast.renderer;

import io.facecast.renderer.tts.FreeTtsSynthesizer;

/** Loading a FreeTTS voice takes a few hundred ms: all tests in the JVM share one synthesizer. */
public final class SharedTts {
    private static FreeTtsSynthesizer instance;

    private SharedTts() {}

    public static synchronized FreeTtsSynthesizer get() {
        if (instance == null) {
            instance = new FreeTtsSynthesizer(2);
        }
        return instance;
    }
}
