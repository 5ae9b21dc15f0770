package io.facecast.renderer.session;

import io.facecast.renderer.avatar.Avatar;
import io.facecast.renderer.segment.SegmentMedia;
import io.facecast.renderer.segment.SegmentStream;
import io.facecast.renderer.viseme.AudioMouth;

import java.util.function.BooleanSupplier;

/**
 * Renders a supplied-audio utterance while it arrives: every video frame whose audio is complete is written at once
 * (the segment starts with the first samples), and when the input ends the rest plus {@link SegmentMedia#END_PAD_SAMPLES}
 * of silence is written and the segment closed. Runs on the session's render turn, one step per wake-up. Every
 * frame first asks the session's {@link LookAheadGate}.
 */
final class AudioSegmentRenderer implements SegmentRenderer {
    private final AudioIntake in;
    private final SegmentStream out;
    private final Avatar avatar;
    private final String text;
    private final int fps;
    private final long utteranceId;
    private final LookAheadGate gate;
    private final Runnable wake;
    private final AudioMouth mouth = new AudioMouth();
    private short[] pad;

    AudioSegmentRenderer(AudioIntake in, SegmentStream out, Avatar avatar, String text, int fps, long utteranceId,
                         LookAheadGate gate, Runnable wake) {
        this.in = in;
        this.utteranceId = utteranceId;
        this.gate = gate;
        this.wake = wake;
        this.out = out;
        this.avatar = avatar;
        this.text = text;
        this.fps = fps;
    }

    @Override
    public void discarded() {
        in.discard();
    }

    @Override
    public Progress step(BooleanSupplier cancelled) {
        while (true) {
            if (cancelled.getAsBoolean()) {
                in.discard(); // an upload waiting for room resumes, and the rest of it is discarded unread
                return Progress.CANCELLED;
            }
            boolean inputDone = in.isInputDone(); // read before available(): nothing can arrive after it reads true
            if (!out.started()) {
                if (in.received() == 0) {
                    return inputDone ? Progress.CANCELLED : Progress.WAITING; // nothing was ever said
                }
                out.start(text);
            }
            if (inputDone && pad == null) {
                pad = new short[SegmentMedia.END_PAD_SAMPLES]; // the mouth closes over trailing silence
            }
            int frameLen = SegmentMedia.frameStartSample(out.frames() + 1, fps) - SegmentMedia.frameStartSample(out.frames(), fps);
            int available = in.available() + (pad == null ? 0 : pad.length - padUsed);
            if (available >= frameLen || (inputDone && available > 0)) {
                if (!gate.mayWrite(utteranceId, out.frames(), wake)) {
                    return Progress.WAITING;
                }
                short[] pcm = takeFrame(frameLen);
                out.frame(avatar.mouthPatch(mouth.frame(pcm, 0, pcm.length)), pcm, 0, pcm.length);
            } else if (!inputDone) {
                return Progress.WAITING;
            } else {
                // An upload that failed after some audio: that plays, then the client hears why it stopped (one that
                // failed before any audio was refused to the caller at once and leaves nothing on the bus).
                out.end(in.failure() == null ? "" : SegmentFailure.upload(in.failure()));
                return Progress.WRITTEN;
            }
        }
    }

    private int padUsed;

    private short[] takeFrame(int frameLen) {
        short[] audio = in.take(frameLen);
        if (audio.length == frameLen || pad == null) {
            return audio;
        }
        int fromPad = Math.min(frameLen - audio.length, pad.length - padUsed);
        short[] frame = java.util.Arrays.copyOf(audio, audio.length + fromPad);
        padUsed += fromPad;
        return frame;
    }
}
