package io.facecast.renderer.session;

import io.facecast.bus.BusMessage;
import io.facecast.renderer.audio.BusAudio;
import io.facecast.renderer.segment.RecordSink;
import io.facecast.renderer.tts.Speech;
import io.facecast.renderer.tts.SpeechSynthesizer;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One utterance's timings in the renderer. It sits around the utterance's parts (its synthesizer, its record sink,
 * its segment renderer), so the rendering code does not know it is measured. Touched by one render thread at a time.
 */
final class UtteranceTrace {
    private final RendererMetrics metrics;
    private final RendererMetrics.Backend backend;
    private final String sessionId;
    private final long utteranceId;
    private final long received;
    private final long[] stages = new long[RendererMetrics.STAGES.length];
    private long audioSamples;
    private boolean done;

    UtteranceTrace(RendererMetrics metrics, RendererMetrics.Backend backend, String sessionId, long utteranceId,
                   long receivedNanos) {
        this.metrics = metrics;
        this.backend = backend;
        this.sessionId = sessionId;
        this.utteranceId = utteranceId;
        this.received = receivedNanos;
        Arrays.fill(stages, -1);
    }

    void accepted() {
        stage(RendererMetrics.ACCEPTED);
    }

    private void stage(int index) {
        if (stages[index] < 0) {
            stages[index] = System.nanoTime() - received;
            metrics.stages.record(index, stages[index]);
        }
    }

    SpeechSynthesizer tts(SpeechSynthesizer tts) {
        return new SpeechSynthesizer() {
            @Override
            public Speech synthesize(String text, String voice) {
                long t = System.nanoTime();
                Speech speech = tts.synthesize(text, voice);
                backend.ttsSentence.record(System.nanoTime() - t, TimeUnit.NANOSECONDS);
                stage(RendererMetrics.FIRST_SENTENCE);
                return speech;
            }

            @Override
            public Set<String> voices() {
                return tts.voices();
            }

            @Override
            public void requireVoice(String voice) {
                tts.requireVoice(voice);
            }
        };
    }

    RecordSink sink(RecordSink bus) {
        return records -> {
            bus.append(records);
            for (BusMessage r : records) {
                if (r instanceof BusMessage.Video v && v.frame() == 0) {
                    stage(RendererMetrics.FIRST_FRAME_ON_BUS);
                } else if (r instanceof BusMessage.Audio audio) {
                    audioSamples += audio.pcm().length / 2;
                }
            }
        };
    }

    SegmentRenderer renderer(SegmentRenderer render) {
        return cancelled -> {
            long t = System.nanoTime();
            long samplesBefore = audioSamples;
            SegmentRenderer.Progress progress;
            try {
                progress = render.step(cancelled);
            } catch (RuntimeException e) {
                account(t, samplesBefore);
                finish("failed", backend.failed);
                throw e;
            }
            account(t, samplesBefore);
            switch (progress) {
                case WRITTEN -> finish("written", backend.written);
                case CANCELLED -> finish("cancelled", backend.cancelled);
                default -> { }
            }
            return progress;
        };
    }

    private void account(long startNanos, long samplesBefore) {
        backend.renderSeconds.increment((System.nanoTime() - startNanos) / 1e9);
        backend.mediaSeconds.increment((audioSamples - samplesBefore) / (double) BusAudio.SAMPLE_RATE);
    }

    private void finish(String outcome, io.micrometer.core.instrument.Counter counter) {
        if (done) {
            return;
        }
        done = true;
        counter.increment();
        metrics.stages.writeLine(sessionId, utteranceId, outcome, stages);
    }
}
