package io.facecast.renderer.session;

import io.facecast.bus.BusAppender;
import io.facecast.bus.BusRecord;
import io.facecast.renderer.segment.RecordSink;

import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Owns one queue's {@link BusAppender} on a dedicated thread. Chronicle appenders are bound to the thread that first
 * uses them (a second thread gets ThreadingIllegalStateException even when calls are serialized), and several
 * render threads write to the same streamer queue, so every append for that queue runs on this one thread. Callers
 * wait for their records to be appended; a frame's VIDEO and AUDIO travel in one hand-off to keep the cost per frame
 * to one thread switch. The render threads never touch the queue, so they may be interrupted safely.
 */
final class BusWriter implements RecordSink, AutoCloseable {
    private final ExecutorService thread;
    private final BusAppender appender;
    private final Path dir;

    BusWriter(Path dir) {
        this.dir = dir;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bus-writer-" + dir.getFileName());
            t.setDaemon(true);
            return t;
        });
        try {
            this.appender = call(() -> new BusAppender(dir));
        } catch (RuntimeException e) {
            thread.shutdownNow();
            throw e;
        }
    }

    Path dir() {
        return dir;
    }

    @Override
    public void append(BusRecord... records) {
        call(() -> {
            for (BusRecord r : records) {
                appender.append(r);
            }
            return null;
        });
    }

    @Override
    public void close() {
        try {
            call(() -> {
                appender.close();
                return null;
            });
        } finally {
            thread.shutdown();
            try {
                thread.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private <T> T call(java.util.concurrent.Callable<T> work) {
        Future<T> f = thread.submit(work);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    // The append is already queued; finish waiting so records are never half-known to the caller.
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new CompletionException(cause);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
