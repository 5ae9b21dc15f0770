import io.facecast.renderer.tts.FreeTtsSynthesizer;
import io.facecast.renderer.audio.Resampler;
import java.nio.*; import java.nio.file.*;
/** The benchmark sentence as the renderer makes it: FreeTTS (16 kHz), resampled to 48 kHz, s16le mono, to a file. */
public class OpusSpeech {
    public static void main(String[] a) throws Exception {
        var s = new FreeTtsSynthesizer(1).synthesize(a[0], "default");
        short[] pcm = new Resampler(s.sampleRate(), 48000).resample(s.pcm());
        ByteBuffer b = ByteBuffer.allocate(pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : pcm) b.putShort(v);
        Files.write(Path.of(a[1]), b.array());
        System.out.println("rate " + s.sampleRate() + " -> 48000, " + pcm.length / 48000.0 + " s");
    }
}
