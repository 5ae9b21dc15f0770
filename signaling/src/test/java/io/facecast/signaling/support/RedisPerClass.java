package io.facecast.signaling.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real redis-server for a test class ({@code @RegisterExtension static final RedisPerClass redis = ...}): started
 * before its first test (the class is skipped where redis-server is not installed, unless CI requires it: see
 * {@link RedisServer#startOrSkip}) and stopped after its last.
 */
public final class RedisPerClass implements BeforeAllCallback, AfterAllCallback {

    private RedisServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = RedisServer.startOrSkip();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public String uri() {
        return server.uri();
    }

    public int port() {
        return server.port();
    }

    /** SIGKILL: the data is gone, as after a crash without persistence. */
    public void kill() throws InterruptedException {
        server.kill();
    }

    /** Starts it again on the same port (empty). */
    public void start() throws Exception {
        server.start();
    }

    public boolean ping() {
        return server.ping();
    }
}
