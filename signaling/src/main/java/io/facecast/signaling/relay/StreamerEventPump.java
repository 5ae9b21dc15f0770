package io.facecast.signaling.relay;

import io.facecast.api.v1.SessionEvent;
import io.facecast.signaling.backend.StreamerBackend;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the one StreamerControl.WatchEvents stream signaling keeps per streamer and hands every event to the router.
 * When the stream breaks while the streamer is still registered, it is opened again after a short delay; once the
 * streamer is gone or {@link #stop()} is called, it stays closed.
 */
public final class StreamerEventPump {

    private static final Logger log = LoggerFactory.getLogger(StreamerEventPump.class);

    private final StreamerBackend streamer;
    private final Consumer<SessionEvent> router;
    private final BooleanSupplier streamerAlive;
    private final ScheduledExecutorService scheduler;
    private final Duration reconnectDelay;
    private volatile boolean stopped;
    private volatile Runnable cancelCurrent = () -> {};

    public StreamerEventPump(
            StreamerBackend streamer,
            Consumer<SessionEvent> router,
            BooleanSupplier streamerAlive,
            ScheduledExecutorService scheduler,
            Duration reconnectDelay) {
        this.streamer = streamer;
        this.router = router;
        this.streamerAlive = streamerAlive;
        this.scheduler = scheduler;
        this.reconnectDelay = reconnectDelay;
    }

    public void start() {
        open();
    }

    public void stop() {
        stopped = true;
        cancelCurrent.run();
    }

    private synchronized void open() {
        if (stopped || !streamerAlive.getAsBoolean()) {
            return;
        }
        cancelCurrent = streamer.watchEvents(new StreamObserver<>() {
            @Override
            public void onNext(SessionEvent event) {
                try {
                    router.accept(event);
                } catch (RuntimeException e) {
                    // One bad event must not tear down the stream every other session depends on.
                    log.error("failed to route an event of session {} from {}", event.getSessionId(), streamer.describe(), e);
                }
            }

            @Override
            public void onError(Throwable t) {
                reopenLater("broke: " + t.getMessage());
            }

            @Override
            public void onCompleted() {
                reopenLater("ended");
            }
        });
    }

    private void reopenLater(String why) {
        if (stopped || !streamerAlive.getAsBoolean()) {
            return;
        }
        log.warn("event stream from {} {}; reopening in {} ms", streamer.describe(), why, reconnectDelay.toMillis());
        try {
            scheduler.schedule(this::open, reconnectDelay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("not reopening the event stream from {}: shutting down", streamer.describe());
        }
    }
}
