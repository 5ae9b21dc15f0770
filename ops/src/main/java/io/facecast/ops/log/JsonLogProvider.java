package io.facecast.ops.log;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The slf4j 2 provider of {@code --log-format json}. It is deliberately not registered with the service loader
 * (slf4j-simple stays the one provider found on the class path, for text); {@link LogFormat} names it in the
 * {@code slf4j.provider} system property before the first logger is made.
 */
public final class JsonLogProvider implements SLF4JServiceProvider {
    private ILoggerFactory loggers;
    private IMarkerFactory markers;
    private MDCAdapter mdc;

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        LogLevels levels = new LogLevels();
        loggers = new Factory(levels);
        markers = new BasicMarkerFactory();
        mdc = new BasicMDCAdapter();
    }

    /** Loggers by name, made once each. */
    static final class Factory implements ILoggerFactory {
        private final LogLevels levels;
        private final ConcurrentMap<String, Logger> byName = new ConcurrentHashMap<>();

        Factory(LogLevels levels) {
            this.levels = levels;
        }

        @Override
        public Logger getLogger(String name) {
            return byName.computeIfAbsent(name, n -> new JsonLogger(n, levels.levelOf(n), System.err));
        }
    }
}
