package io.facecast.renderer.tts;

import io.facecast.renderer.tts.espeak.EspeakSynthesizer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `renderer voices` lists what a session could name and, with --say, really synthesizes (what the image check runs). */
class VoicesCommandTest {
    private final StringWriter out = new StringWriter(), err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new VoicesCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void listsTheVoicesAndSpeaksWithOne() {
        assertEquals(0, run("--say", "Hello there.", "--voice", "kevin16"), err.toString());
        String o = out.toString();
        assertTrue(o.contains("freetts") && o.contains("kevin16"), o);
        assertTrue(o.matches("(?s).*kevin16: 'Hello there\\.' -> [1-9]\\d* samples at \\d+ Hz.*"), o);
        if (EspeakSynthesizer.installed().isPresent()) {
            assertTrue(o.contains("espeak:en-us") && o.matches("(?s).*espeak-ng: [1-9]\\d* voices at \\d+ Hz.*"), o);
        } else {
            assertTrue(o.contains("espeak-ng: unavailable"), o);
        }
    }

    @Test
    void anUnknownVoiceIsExit1WithTheChoices() {
        assertEquals(1, run("--say", "Hi.", "--voice", "nobody"));
        assertTrue(err.toString().contains("unknown voice 'nobody'") && err.toString().contains("kevin16"), err.toString());
    }
}
