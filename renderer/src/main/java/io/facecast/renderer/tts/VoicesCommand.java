package io.facecast.renderer.tts;

import io.facecast.api.v1.VoiceInfo;
import io.facecast.renderer.tts.espeak.EspeakSynthesizer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code renderer voices}: the voices this renderer would offer (the embedded FreeTTS ones and every installed
 * espeak-ng voice), and with {@code --say} one synthesis through the real backend. It is how a container image, or a
 * machine, shows that espeak-ng and its data are really there: a library that is present but cannot load, or data it
 * cannot find, make espeak "unavailable" here exactly as they would in a session.
 */
@Command(name = "voices", mixinStandardHelpOptions = true,
        description = "List the voices this renderer offers; with --say, synthesize once to check a voice works.")
public final class VoicesCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--say", paramLabel = "TEXT", description = "Synthesize TEXT with --voice and print what came out.")
    String say;

    @Option(names = "--voice", defaultValue = "default",
            description = "The voice for --say, as a session names it (default ${DEFAULT-VALUE}; e.g. espeak:en-us).")
    String voice;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<EspeakSynthesizer> espeak = EspeakSynthesizer.installed();
        VoiceRouter voices = new VoiceRouter(new FreeTtsSynthesizer(1), espeak, Optional.empty());
        for (VoiceInfo v : voices.catalog()) {
            out.printf("%-8s %-10s %s%n", v.getBackend(), v.getLanguage(), v.getName());
        }
        out.println(espeak.map(e -> "espeak-ng: " + e.voices().size() + " voices at " + e.sampleRate() + " Hz")
                .orElse("espeak-ng: unavailable (libespeak-ng or its data is not installed here:"
                        + " apt-get install espeak-ng); espeak:<voice> sessions are refused"));
        int status = 0;
        if (say != null) {
            try {
                Speech s = voices.synthesize(say, voice);
                out.printf("%s: '%s' -> %d samples at %d Hz (%.2f s), %d phonemes%n", voice, say, s.samples(),
                        s.sampleRate(), s.samples() / (double) s.sampleRate(), s.phonemes().size());
                status = s.samples() > 0 ? 0 : 1;
            } catch (RuntimeException e) { // NOT_FOUND for an unknown voice, or the backend failing
                spec.commandLine().getErr().println(voice + ": " + e.getMessage());
                status = 1;
            }
        }
        out.flush();
        return status;
    }
}
