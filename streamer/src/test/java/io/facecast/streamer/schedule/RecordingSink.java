package io.facecast.streamer.schedule;

import io.facecast.bus.I420;

import java.util.Arrays;

/** Records when each push happened and what it showed/sounded like (probe lumas, every audio sample). */
final class RecordingSink implements MediaSink {
    private final MediaClock clock;
    long[] videoTimes = new long[1024];
    int[] mouthLuma = new int[1024];
    int[] eyesLuma = new int[1024];
    int[] meanLuma = new int[1024];
    /** Luma of the top-left 8x8 block: outside eyes and mouth, so it shows which idle loop frame is the base. */
    int[] cornerLuma = new int[1024];
    int videoCount;
    long[] audioTimes = new long[1024];
    short[] audio = new short[48_000];
    int audioChunks;
    long audioSamples;
    int badAudioSizes;
    int badFrames;
    /** Frames the scheduler pushed as a repeat of the previous picture, and those that did not show that picture. */
    int repeats;
    int badRepeats;

    RecordingSink(MediaClock clock) {
        this.clock = clock;
    }

    @Override
    public void pushVideo(byte[] i420, int width, int height) {
        if (width != Media.W || height != Media.H || i420.length != I420.size(width, height)) {
            badFrames++;
        }
        if (videoCount == videoTimes.length) {
            int n = videoCount * 2;
            videoTimes = Arrays.copyOf(videoTimes, n);
            mouthLuma = Arrays.copyOf(mouthLuma, n);
            eyesLuma = Arrays.copyOf(eyesLuma, n);
            meanLuma = Arrays.copyOf(meanLuma, n);
            cornerLuma = Arrays.copyOf(cornerLuma, n);
        }
        videoTimes[videoCount] = clock.nanoTime();
        mouthLuma[videoCount] = (int) Math.round(I420.meanLuma(i420, width, Media.MOUTH_X, Media.MOUTH_Y, Media.MOUTH_W, Media.MOUTH_H));
        eyesLuma[videoCount] = (int) Math.round(I420.meanLuma(i420, width, Media.EYES_X, Media.EYES_Y, Media.EYES_W, Media.EYES_H));
        meanLuma[videoCount] = (int) Math.round(I420.meanLuma(i420, width, 0, 0, width, height));
        cornerLuma[videoCount] = (int) Math.round(I420.meanLuma(i420, width, 0, 0, 8, 8));
        videoCount++;
    }

    @Override
    public void repeatVideo(byte[] i420, int width, int height) {
        pushVideo(i420, width, height);
        repeats++;
        int k = videoCount - 1;
        if (k == 0 || mouthLuma[k] != mouthLuma[k - 1] || eyesLuma[k] != eyesLuma[k - 1]
                || meanLuma[k] != meanLuma[k - 1] || cornerLuma[k] != cornerLuma[k - 1]) {
            badRepeats++;
        }
    }

    @Override
    public void pushAudio(byte[] pcm, int sampleRate, int channels) {
        int n = pcm.length / 2;
        if (n != sampleRate / 100 || channels != 1) {
            badAudioSizes++;
        }
        if (audioChunks == audioTimes.length) {
            audioTimes = Arrays.copyOf(audioTimes, audioChunks * 2);
        }
        audioTimes[audioChunks++] = clock.nanoTime();
        while (audioSamples + n > audio.length) {
            audio = Arrays.copyOf(audio, audio.length * 2);
        }
        for (int i = 0; i < n; i++) {
            audio[(int) audioSamples + i] = (short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8));
        }
        audioSamples += n;
    }

    /** Index of the first pushed video frame from {@code from} on whose mouth is not the idle base, or -1. */
    int firstSpeechFrame(int from) {
        for (int k = from; k < videoCount; k++) {
            if (mouthLuma[k] != Media.BASE_LUMA) {
                return k;
            }
        }
        return -1;
    }

    long firstNonZeroSample(long from) {
        for (long i = from; i < audioSamples; i++) {
            if (audio[(int) i] != 0) {
                return i;
            }
        }
        return -1;
    }
}
