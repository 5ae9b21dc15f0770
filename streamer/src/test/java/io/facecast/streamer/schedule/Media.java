package io.facecast.streamer.schedule;

import io.facecast.bus.BusMessage;
import io.facecast.bus.BusMessage.Region;
import io.facecast.bus.I420;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Synthetic renderer output whose content tells the tests exactly what was played: the mouth patch of utterance u
 * frame j has luma {@link #patchLuma}, its audio sample i has value {@link #sample} (never zero), the idle base
 * has luma {@link #BASE_LUMA} and the eyes-closed overlay {@link #EYES_LUMA}.
 */
final class Media {
    static final int W = 64;
    static final int H = 48;
    static final int EYES_X = 16, EYES_Y = 8, EYES_W = 32, EYES_H = 8;
    static final int MOUTH_X = 20, MOUTH_Y = 28, MOUTH_W = 24, MOUTH_H = 12;
    static final int BASE_LUMA = 250;
    static final int EYES_LUMA = 10;
    static final int GREY = 128;

    private Media() {}

    static int patchLuma(long utterance, int j) {
        return 30 + (int) ((utterance * 31 + j) % 200);
    }

    static short sample(long utterance, long i) {
        return (short) (1 + ((utterance * 10007 + i) % 32000));
    }

    static byte[] plane(int w, int h, int luma) {
        byte[] b = new byte[I420.size(w, h)];
        Arrays.fill(b, 0, w * h, (byte) luma);
        Arrays.fill(b, w * h, b.length, (byte) 128);
        return b;
    }

    static BusMessage.IdleBase idleBase(String session, int fps) {
        return new BusMessage.IdleBase(session, 0, 1, 1, W, H, fps, plane(W, H, BASE_LUMA), 0);
    }

    /** Idle loop frame {@code index} of {@code length}: the whole frame has luma {@link #loopLuma}(index). */
    static BusMessage.IdleBase loopFrame(String session, int fps, int index, int length) {
        return loopFrame(session, fps, index, length, 1);
    }

    /** Like {@link #loopFrame(String, int, int, int)}, held for {@code hold} video frames. */
    static BusMessage.IdleBase loopFrame(String session, int fps, int index, int length, int hold) {
        return new BusMessage.IdleBase(session, index, length, hold, W, H, fps, plane(W, H, loopLuma(index)), 0);
    }

    static int loopLuma(int index) {
        return 200 + 10 * index;
    }

    static BusMessage.IdleOverlay eyesClosed(String session) {
        return new BusMessage.IdleOverlay(session, 0, W, H, 0, new Region(EYES_X, EYES_Y, EYES_W, EYES_H),
                plane(EYES_W, EYES_H, EYES_LUMA), 0);
    }

    static List<BusMessage> idle(String session, int fps) {
        return List.of(idleBase(session, fps), eyesClosed(session));
    }

    /** One utterance of {@code samples} samples, as the renderer writes it (END included unless cut). */
    static final class Utterance {
        final String session;
        final long id;
        final int rate;
        final int fps;
        final long samples;
        final int frames;

        Utterance(String session, long id, int rate, int fps, long samples) {
            this.session = session;
            this.id = id;
            this.rate = rate;
            this.fps = fps;
            this.samples = samples;
            this.frames = (int) ((samples * fps + rate - 1) / rate);
        }

        static Utterance ofMillis(String session, long id, int rate, int fps, long millis) {
            return new Utterance(session, id, rate, fps, millis * rate / 1000);
        }

        long frameStart(long j) {
            return j * rate / fps;
        }

        BusMessage.SegmentStart start() {
            return new BusMessage.SegmentStart(session, id, "utterance " + id, rate, 1, fps, W, H, 0);
        }

        BusMessage.Video video(int j) {
            return new BusMessage.Video(session, id, j, fps, W, H, new Region(MOUTH_X, MOUTH_Y, MOUTH_W, MOUTH_H),
                    plane(MOUTH_W, MOUTH_H, patchLuma(id, j)), 0);
        }

        BusMessage.Audio audio(int j) {
            long from = frameStart(j);
            long to = Math.min(samples, frameStart(j + 1));
            byte[] pcm = new byte[(int) (to - from) * 2];
            for (long i = from; i < to; i++) {
                short v = sample(id, i);
                int o = (int) (i - from) * 2;
                pcm[o] = (byte) v;
                pcm[o + 1] = (byte) (v >> 8);
            }
            return new BusMessage.Audio(session, id, from, rate, 1, pcm, 0);
        }

        BusMessage.SegmentEnd end() {
            return end("");
        }

        /** The end of an utterance the renderer ended early for {@code reason} ("CODE: message"). */
        BusMessage.SegmentEnd end(String reason) {
            return new BusMessage.SegmentEnd(session, id, samples, frames, reason, 0);
        }

        /** START, then VIDEO/AUDIO of frames [0, n). */
        List<BusMessage> head(int n) {
            List<BusMessage> out = new ArrayList<>();
            out.add(start());
            out.addAll(frames(0, n));
            return out;
        }

        List<BusMessage> frames(int from, int to) {
            List<BusMessage> out = new ArrayList<>();
            for (int j = from; j < Math.min(to, frames); j++) {
                out.add(video(j));
                out.add(audio(j));
            }
            return out;
        }

        List<BusMessage> all() {
            List<BusMessage> out = head(frames);
            out.add(end());
            return out;
        }
    }
}
