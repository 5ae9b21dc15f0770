package io.facecast.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of a process's /metrics, parsed (Prometheus text format 0.0.4) into samples to look values up. */
final class Scrape {
    private static final Pattern OPS = Pattern.compile("ops on (http://[0-9.]+:\\d+/)");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Sample(String name, Map<String, String> labels, double value) {}

    final String url;
    final String text;
    final List<Sample> samples = new ArrayList<>();

    private Scrape(String url, String text) {
        this.url = url;
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalStateException(url + ": unparseable line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
        }
    }

    static Scrape of(String metricsUrl) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(metricsUrl)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(metricsUrl + " answered " + r.statusCode() + ": " + r.body());
        }
        return new Scrape(metricsUrl, r.body());
    }

    /** The ops listener's base URL a renderer or streamer printed ("... ops on http://127.0.0.1:PORT/ ..."). */
    static String opsUrl(JvmProcess p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Matcher m = OPS.matcher(Files.readString(p.log()));
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(100); // another process writes its log: nothing to inject a clock into
        }
        throw new IllegalStateException(p.log() + " has no ops URL:\n" + p.tail());
    }

    /** The value of the one sample with this name and these labels (others ignored), or NaN when absent. */
    double value(String name, String... labels) {
        for (Sample s : samples) {
            if (s.name().equals(name) && matches(s, labels)) {
                return s.value();
            }
        }
        return Double.NaN;
    }

    boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    private static boolean matches(Sample s, String[] labels) {
        for (int i = 0; i + 1 < labels.length; i += 2) {
            if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                return false;
            }
        }
        return true;
    }

    /** Mean of a histogram (sum / count) in its unit; NaN without observations. */
    double mean(String histogram, String... labels) {
        return value(histogram + "_sum", labels) / value(histogram + "_count", labels);
    }

    /** Where the text goes for promtool and for people: target/it-logs/metrics/NAME.prom */
    Path save(String name) throws Exception {
        Path file = Path.of("target", "it-logs", "metrics", name + ".prom");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }
}
