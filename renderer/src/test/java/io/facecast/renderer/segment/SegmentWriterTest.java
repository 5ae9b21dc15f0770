package io.facecast.renderer.segment;

import io.facecast.bus.BusAppender;
import io.facecast.bus.BusMessage;
import io.facecast.bus.BusMessage.Audio;
import io.facecast.bus.BusMessage.SegmentEnd;
import io.facecast.bus.BusMessage.SegmentStart;
import io.facecast.bus.BusMessage.Video;
import io.facecast.bus.BusTailer;
import io.facecast.bus.I420;
import io.facecast.bus.RecordKind;
import io.facecast.renderer.BusFixture;
import io.facecast.renderer.avatar.DefaultAvatar;
import io.facecast.renderer.avatar.Region;
import io.facecast.renderer.tts.PhonemeTiming;
import io.facecast.renderer.tts.Speech;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class SegmentWriterTest {
    @TempDir
    Path dir;
    BusAppender appender;
    BusTailer tailer;
    final DefaultAvatar avatar = new DefaultAvatar(128, 128);

    @BeforeEach
    void open() {
        tailer = new BusTailer(dir);
        appender = new BusAppender(dir);
    }

    @AfterEach
    void close() {
        appender.close();
        tailer.close();
    }

    RecordSink sink() {
        return records -> {
            for (io.facecast.bus.BusMessage r : records) {
                appender.append(r);
            }
        };
    }

    /** 16 kHz speech of 0.5 s: "aa" in the middle. */
    static Speech speech(int samples16k) {
        short[] pcm = new short[samples16k];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) (3000 * Math.sin(i * 0.2));
        }
        return new Speech(pcm, 16000, List.of(new PhonemeTiming("pau", 0, samples16k / 4),
                new PhonemeTiming("aa", samples16k / 4, 3 * samples16k / 4),
                new PhonemeTiming("pau", 3 * samples16k / 4, samples16k)));
    }

    @Test
    void writesInterleavedFramesCoveringEverySampleOnce() {
        SegmentMedia media = SegmentMedia.of(speech(8011), 25);
        int samples = 8011 * 3 + SegmentMedia.END_PAD_SAMPLES;
        assertEquals(samples, media.samples());
        int frames = (int) Math.ceil(samples * 25 / 48000.0);
        assertEquals(frames, media.frames());

        assertTrue(new SegmentWriter(sink()).write("s1", 7, "ah", media, avatar, false, () -> false));
        List<BusMessage> recs = BusFixture.drain(tailer);
        assertEquals(2 + 2 * frames, recs.size());
        assertEquals(RecordKind.SEGMENT_START, recs.get(0).kind());
        SegmentStart start = (SegmentStart) recs.get(0);
        assertEquals("ah", start.text());
        assertEquals(48000, start.sampleRate());
        assertEquals(1, start.channels());
        assertEquals(25, start.fps());
        assertEquals(128, start.frameWidth());
        assertEquals(7, start.utteranceId());
        Region m = avatar.mouthRegion();
        long nextSample = 0;
        for (int j = 0; j < frames; j++) {
            assertEquals(RecordKind.VIDEO, recs.get(1 + 2 * j).kind());
            assertEquals(RecordKind.AUDIO, recs.get(2 + 2 * j).kind());
            Video v = (Video) recs.get(1 + 2 * j);
            Audio a = (Audio) recs.get(2 + 2 * j);
            assertEquals(j, v.frame());
            assertEquals(m.x(), v.region().x());
            assertEquals(m.height(), v.region().height());
            assertEquals(I420.size(m.width(), m.height()), v.i420().length);
            assertEquals(nextSample, a.firstSample());
            assertEquals(48000, a.sampleRate());
            nextSample += a.pcm().length / 2;
            assertTrue(a.pcm().length / 2 <= 1920);
            assertEquals("s1", v.sessionId());
            assertEquals("s1", a.sessionId());
        }
        assertEquals(samples, nextSample, "the audio records hold every sample exactly once");
        assertEquals(RecordKind.SEGMENT_END, recs.get(recs.size() - 1).kind());
        SegmentEnd end = (SegmentEnd) recs.get(recs.size() - 1);
        assertEquals(samples, end.totalSamples());
        assertEquals(frames, end.totalFrames());
    }

    @Test
    void audioIsLittleEndianResampledSpeech() {
        SegmentMedia media = SegmentMedia.of(speech(1600), 30);
        new SegmentWriter(sink()).write("s", 1, "x", media, avatar, false, () -> false);
        byte[] first = ((Audio) BusFixture.drain(tailer).get(2)).pcm();
        for (int i = 0; i < first.length / 2; i++) {
            short s = (short) ((first[2 * i] & 0xff) | (first[2 * i + 1] << 8));
            assertEquals(media.pcm()[i], s);
        }
    }

    @Test
    void cancellationStopsBetweenFramesWithoutSegmentEnd() {
        SegmentMedia media = SegmentMedia.of(speech(16000), 30);
        AtomicInteger polls = new AtomicInteger();
        boolean done = new SegmentWriter(sink()).write("s", 3, "x", media, avatar, false, () -> polls.incrementAndGet() > 6);
        assertFalse(done);
        List<BusMessage> recs = BusFixture.drain(tailer);
        assertEquals(RecordKind.SEGMENT_START, recs.get(0).kind());
        assertEquals(1 + 2 * 5, recs.size(), "five whole frames, then nothing");
        assertTrue(recs.stream().noneMatch(r -> r.kind() == RecordKind.SEGMENT_END));
    }

    @Test
    void syncMarkersFlashWhiteWithAToneBurstAtTheSameSample() {
        SegmentMedia media = SegmentMedia.of(speech(40000), 30); // 2.5 s + pad
        new SegmentWriter(sink()).write("s", 1, "x", media, avatar, true, () -> false);
        List<BusMessage> recs = BusFixture.drain(tailer);
        Region m = avatar.mouthRegion();
        for (int j = 0; j < media.frames(); j++) {
            Video v = (Video) recs.get(1 + 2 * j);
            double luma = I420.meanLuma(v.i420(), m.width(), 0, 0, m.width(), m.height());
            assertEquals(j % 30 == 0, luma > 230, "frame " + j + " white iff marker, luma " + luma);
            Audio a = (Audio) recs.get(2 + 2 * j);
            if (j % 30 == 0) {
                assertEquals(j / 30 * 48000L, a.firstSample());
                // 1 kHz at 48 kHz: sample 12 is the sine's peak
                short peak = (short) ((a.pcm()[24] & 0xff) | (a.pcm()[25] << 8));
                assertTrue(peak > 15000, "tone burst at the marker: " + peak);
            }
        }
    }
}
