package io.facecast.renderer.tts;

import io.facecast.renderer.RendererException;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class VoiceRouterTest {
    /** Records what it was asked; a fake is fine here, the backends have their own tests against the real thing. */
    static class Recording implements SpeechSynthesizer {
        final String name;
        final Set<String> voices;
        final List<String> asked = new ArrayList<>();

        Recording(String name, Set<String> voices) {
            this.name = name;
            this.voices = voices;
        }

        @Override
        public Speech synthesize(String text, String voice) {
            asked.add(voice);
            return new Speech(new short[160], 16000, List.of());
        }

        @Override
        public Set<String> voices() {
            return voices;
        }
    }

    final Recording embedded = new Recording("freetts", Set.of("default", "kevin16"));
    final Recording espeak = new Recording("espeak", Set.of("en-us", "de"));
    final Recording http = new Recording("http", Set.of()) {
        @Override
        public void requireVoice(String voice) {} // any name: the endpoint decides
    };

    @Test
    void thePrefixPicksTheBackendAndTheRestIsItsVoice() {
        VoiceRouter r = new VoiceRouter(embedded, Optional.of(espeak), Optional.of(http));
        r.synthesize("a", "default");
        r.synthesize("b", "espeak:de");
        r.synthesize("c", "http:alloy");
        r.synthesize("d", "kevin16");
        assertEquals(List.of("default", "kevin16"), embedded.asked);
        assertEquals(List.of("de"), espeak.asked);
        assertEquals(List.of("alloy"), http.asked);
        r.requireVoice("espeak:en-us");
        r.requireVoice("http:anything");
        assertEquals(Set.of("default", "kevin16", "espeak:<voice>", "http:<voice>"), r.voices());
    }

    @Test
    void missingBackendsAndUnknownVoicesAreNotFoundWithWhatToDo() {
        VoiceRouter r = new VoiceRouter(embedded, Optional.empty(), Optional.empty());
        expectNotFound(() -> r.requireVoice("espeak:en-us"),
                "voice 'espeak:en-us' needs espeak-ng, but espeak-ng is not installed on the renderer (apt-get install espeak-ng)");
        expectNotFound(() -> r.synthesize("hi", "espeak:de"), "espeak-ng is not installed");
        expectNotFound(() -> r.requireVoice("http:alloy"), "the HTTP speech backend, which is not configured on this renderer"
                + " (start it with --tts-http-url");
        expectNotFound(() -> r.requireVoice("hal"), "unknown voice 'hal'; known voices: [default, kevin16]");
        VoiceRouter all = new VoiceRouter(embedded, Optional.of(espeak), Optional.of(http));
        expectNotFound(() -> all.requireVoice("hal"), "known voices: [default, espeak:<voice>, http:<voice>, kevin16]");
        expectNotFound(() -> all.requireVoice("espeak:xx"), "unknown voice 'xx'");
        assertTrue(embedded.asked.isEmpty() && espeak.asked.isEmpty());
    }

    private static void expectNotFound(org.junit.jupiter.api.function.Executable call, String message) {
        RendererException e = assertThrows(RendererException.class, call);
        assertEquals(Status.Code.NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
