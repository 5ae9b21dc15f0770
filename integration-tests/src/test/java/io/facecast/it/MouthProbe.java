package io.facecast.it;

import io.facecast.client.Recording;

import java.util.ArrayList;
import java.util.List;

/**
 * Watches the mouth box of every received frame: its activity is the mean absolute luma difference from a reference
 * frame taken while the avatar was idle (mouth closed). Speech moves the mouth; silence leaves it still.
 */
final class MouthProbe implements Recording.FrameAnalyzer {
    record Sample(long arrivalNanos, double activity) {}

    private final int x, y, w, h;
    private byte[] reference;
    private volatile boolean armed;
    private final List<Sample> samples = new ArrayList<>();

    /** The default avatar's mouth at 512x512, with a little margin around the region the renderer patches. */
    static MouthProbe forDefaultAvatar() {
        return new MouthProbe(180, 290, 152, 92);
    }

    MouthProbe(int x, int y, int w, int h) {
        this.x = x; this.y = y; this.w = w; this.h = h;
    }

    /** The next frame becomes the reference (call while the avatar idles). */
    void arm() {
        armed = true;
    }

    @Override
    public void onFrame(Recording.Frame f) {
        byte[] box = new byte[w * h];
        for (int row = 0; row < h; row++) {
            System.arraycopy(f.i420(), (y + row) * f.width() + x, box, row * w, w);
        }
        synchronized (this) {
            if (armed && reference == null) {
                reference = box;
            }
            if (reference == null) {
                return;
            }
            long sum = 0;
            for (int i = 0; i < box.length; i++) {
                sum += Math.abs((box[i] & 0xff) - (reference[i] & 0xff));
            }
            samples.add(new Sample(f.arrivalNanos(), (double) sum / box.length));
        }
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** Largest activity of frames that arrived in [from, to). */
    double maxActivity(long from, long to) {
        return samples().stream().filter(s -> s.arrivalNanos() >= from && s.arrivalNanos() < to)
                .mapToDouble(Sample::activity).max().orElse(Double.NaN);
    }

    /** Arrival of the first frame after {@code from} whose activity exceeds {@code threshold}; -1 if none. */
    long firstActiveAfter(long from, double threshold) {
        return samples().stream().filter(s -> s.arrivalNanos() >= from && s.activity() > threshold)
                .mapToLong(Sample::arrivalNanos).findFirst().orElse(-1);
    }
}
