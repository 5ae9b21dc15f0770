package io.facecast.it;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.SessionEvent;
import io.facecast.client.FacecastClient;
import io.facecast.client.ReceiverSession;
import io.facecast.client.Recording;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Benchmark (not a test): the three real processes, N receiving sessions speaking back to back for T seconds.
 * Prints speak -> first speech frame received, delivered fps, CPU of each process, and the bus directory's size.
 *
 * <pre>
 * ./mvnw -q -DskipTests install && mvn -o -q -pl integration-tests exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.facecast.it.PipelineBenchmark -Dexec.args="--sessions 4 --seconds 60"
 * </pre>
 */
public final class PipelineBenchmark {
    private static final String TEXT = "This is Facecast speaking without a pause. Every sentence here is rendered, "
            + "queued on the bus, paced by the streamer and sent over WebRTC, while you measure it.";

    public static void main(String[] args) throws Exception {
        int sessions = 1;
        int seconds = 60;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sessions" -> sessions = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("usage: [--sessions N] [--seconds T]");
            }
        }
        try (LocalStack stack = LocalStack.start("benchmark", 1, Math.max(8, sessions), Duration.ofSeconds(30));
             FacecastClient client = stack.client()) {
            List<ReceiverSession> open = new ArrayList<>();
            List<Recording> recordings = new ArrayList<>();
            List<MouthProbe> mouths = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                Recording r = new Recording(0);
                MouthProbe m = MouthProbe.forDefaultAvatar();
                r.addAnalyzer(m);
                ReceiverSession s = ReceiverSession.open(client, CreateSessionRequest.getDefaultInstance(), r);
                if (!s.awaitConnected(Duration.ofSeconds(30))) throw new IllegalStateException("session " + i + " did not connect");
                open.add(s); recordings.add(r); mouths.add(m);
            }
            Thread.sleep(1500);
            mouths.forEach(MouthProbe::arm);
            Thread.sleep(500);

            double[] cpu0 = cpu(stack);
            long t0 = System.nanoTime();
            long[] framesAt0 = recordings.stream().mapToLong(Recording::frameCount).toArray();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> talkers = new ArrayList<>();
            long[] firstSpeak = new long[sessions];
            for (int i = 0; i < sessions; i++) {
                ReceiverSession s = open.get(i);
                int idx = i;
                Thread t = new Thread(() -> talk(s, running, idx, firstSpeak));
                t.start();
                talkers.add(t);
            }
            long maxBus = 0;
            long end = t0 + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(5000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                maxBus = Math.max(maxBus, stack.busBytes());
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            double[] cpu1 = cpu(stack);
            running.set(false);
            for (Thread t : talkers) t.join();

            System.out.printf(Locale.ROOT, "== Facecast pipeline benchmark: %d session(s), %.0f s of continuous speech ==%n", sessions, elapsed);
            for (int i = 0; i < sessions; i++) {
                double fps = (recordings.get(i).frameCount() - framesAt0[i]) / elapsed;
                long first = mouths.get(i).firstActiveAfter(firstSpeak[i], 1.5);
                System.out.printf(Locale.ROOT, "session %d: delivered %.2f fps; speak -> first speech frame received %.0f ms%n",
                        i, fps, first < 0 ? Double.NaN : (first - firstSpeak[i]) / 1e6);
            }
            String[] names = {"renderer", "signaling", "streamer"};
            for (int p = 0; p < names.length; p++) {
                System.out.printf(Locale.ROOT, "cpu %-9s %5.1f %% of one core%n", names[p], 100 * (cpu1[p] - cpu0[p]) / elapsed);
            }
            System.out.printf(Locale.ROOT, "bus directory: %.1f MiB now, %.1f MiB at most during the run%n",
                    stack.busBytes() / 1048576.0, maxBus / 1048576.0);
            for (ReceiverSession s : open) s.close();
        }
    }

    private static double[] cpu(LocalStack stack) throws java.io.IOException {
        return new double[]{stack.renderer.cpuSeconds(), stack.signaling.cpuSeconds(), stack.streamers.get(0).cpuSeconds()};
    }

    /** Keeps one utterance queued behind the one playing, so the avatar never stops talking. */
    private static void talk(ReceiverSession s, AtomicBoolean running, int idx, long[] firstSpeak) {
        try {
            firstSpeak[idx] = System.nanoTime();
            long id = s.speak(TEXT);
            while (running.get()) {
                long current = id;
                s.awaitEvent(e -> e.hasSpeechStarted() && e.getSpeechStarted().getUtteranceId() == current, Duration.ofSeconds(30));
                id = s.speak(TEXT);
                s.awaitEvent(e -> e.hasSpeechFinished() && e.getSpeechFinished().getUtteranceId() == current, Duration.ofSeconds(60));
            }
        } catch (Exception e) {
            if (running.get()) e.printStackTrace();
        }
    }
}
