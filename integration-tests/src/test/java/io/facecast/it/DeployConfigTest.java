package io.facecast.it;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.facecast.ops.Promtool;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/: promtool accepts the alert rules, and every PromQL expression of the Grafana dashboard parses (each is
 * checked as a recording rule, with Grafana's variables filled in). {@link #metricNames} lists the facecast_ series
 * they use, which {@code MetricsScrapeTest} finds in the real processes' expositions.
 */
class DeployConfigTest {
    static final Path DEPLOY = deployDir();
    private static final Pattern METRIC = Pattern.compile("\\b(facecast_[a-z0-9_]+)");

    /** deploy/ of this checkout, from the integration-tests folder (surefire) or the top-level folder. */
    private static Path deployDir() {
        Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        return Files.isDirectory(here.resolve("deploy")) ? here.resolve("deploy") : here.getParent().resolve("deploy");
    }

    static Path promtoolOrSkip() {
        Path promtool = Promtool.find();
        if (promtool == null && System.getenv("FACECAST_REQUIRE_BROWSER") != null) {
            throw new IllegalStateException("promtool is missing: apt-get install prometheus (CI requires it)");
        }
        Assumptions.assumeTrue(promtool != null, "promtool not installed (Debian package prometheus)");
        return promtool;
    }

    @Test
    void promtoolAcceptsTheAlertRules() throws Exception {
        String out = Promtool.checkRules(promtoolOrSkip(), DEPLOY.resolve("prometheus/alerts.yml"));
        assertTrue(out.contains("SUCCESS"), out);
    }

    @Test
    void everyDashboardExpressionParses() throws Exception {
        List<String> exprs = dashboardExpressions();
        assertTrue(exprs.size() >= 20, "dashboard has " + exprs.size() + " expressions");
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < exprs.size(); i++) {
            String e = exprs.get(i).replace("$__rate_interval", "1m").replace("$instance", ".*");
            rules.append("      - record: dashboard:expr").append(i).append("\n        expr: '")
                    .append(e.replace("'", "''")).append("'\n");
        }
        Path file = Files.createTempFile("dashboard-rules", ".yml");
        try {
            Files.writeString(file, rules);
            Promtool.checkRules(promtoolOrSkip(), file);
        } finally {
            Files.delete(file);
        }
    }

    static List<String> dashboardExpressions() throws Exception {
        JsonObject d = JsonParser.parseString(Files.readString(DEPLOY.resolve("grafana/facecast.json"))).getAsJsonObject();
        List<String> exprs = new ArrayList<>();
        for (JsonElement p : d.getAsJsonArray("panels")) {
            JsonObject panel = p.getAsJsonObject();
            if (panel.has("targets")) {
                for (JsonElement t : panel.getAsJsonArray("targets")) {
                    exprs.add(t.getAsJsonObject().get("expr").getAsString());
                }
            }
        }
        return exprs;
    }

    /** The facecast_ series the dashboard and the alert rules use (histogram suffixes stripped). */
    static Set<String> metricNames() throws Exception {
        Set<String> names = new TreeSet<>();
        List<String> texts = new ArrayList<>(dashboardExpressions());
        texts.add(Files.readString(DEPLOY.resolve("prometheus/alerts.yml")));
        for (String text : texts) {
            Matcher m = METRIC.matcher(text);
            while (m.find()) {
                names.add(m.group(1).replaceAll("_(bucket|sum|count)$", ""));
            }
        }
        assertFalse(names.isEmpty());
        return names;
    }
}
