package io.facecast.it;

import io.facecast.client.Recording;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Helpers for the node tests: a process's ops URL, readiness polled in the background, media gaps at a receiver. */
final class NodeProbe {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private NodeProbe() {}

    /** The ops listener's base URL, from the line the process prints at start. */
    static String opsUrl(JvmProcess p) throws Exception {
        return Scrape.opsUrl(p);
    }

    /** HTTP status of GET url, or -1 when nothing answers (the process is gone). */
    static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Polls /readyz every 50 ms until closed; keeps every answer. */
    static final class ReadinessWatch implements AutoCloseable {
        final List<Integer> answers = new CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;

        ReadinessWatch(String opsUrl) {
            thread = new Thread(() -> {
                while (running) {
                    answers.add(status(opsUrl + "readyz"));
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "readiness-watch");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5000);
        }
    }

    /** Largest gap between consecutive arrivals within [from, to), in ms (arrivals in ns). */
    static double largestGapMillis(List<Long> arrivals, long from, long to) {
        long prev = -1;
        long worst = 0;
        for (long t : arrivals) {
            if (t < from || t >= to) continue;
            if (prev >= 0) worst = Math.max(worst, t - prev);
            prev = t;
        }
        return worst / 1e6;
    }

    static List<Long> videoArrivals(Recording r) {
        return r.frameInfos().stream().map(Recording.FrameInfo::arrivalNanos).toList();
    }
}
