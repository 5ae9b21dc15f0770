package io.facecast.rtc;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** Turns webrtc-java's observer-style asynchronous calls into blocking calls with a timeout. */
final class NativeCalls {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private NativeCalls() {
    }

    /** Thrown when the native layer reports a failure message. */
    static final class NativeFailure extends Exception {
        NativeFailure(String message) {
            super(message);
        }
    }

    static RTCSessionDescription create(Consumer<CreateSessionDescriptionObserver> call, String what)
            throws NativeFailure {
        CompletableFuture<RTCSessionDescription> result = new CompletableFuture<>();
        invoke(() -> call.accept(new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                result.complete(description);
            }

            @Override
            public void onFailure(String error) {
                result.completeExceptionally(new NativeFailure(error));
            }
        }));
        return await(result, what);
    }

    static void set(Consumer<SetSessionDescriptionObserver> call, String what) throws NativeFailure {
        CompletableFuture<Void> result = new CompletableFuture<>();
        invoke(() -> call.accept(new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                result.complete(null);
            }

            @Override
            public void onFailure(String error) {
                result.completeExceptionally(new NativeFailure(error));
            }
        }));
        await(result, what);
    }

    /**
     * webrtc-java reports some failures (an unparsable SDP, for one) by throwing a plain {@link Error} from the
     * call itself instead of through the observer.
     */
    private static void invoke(Runnable call) throws NativeFailure {
        try {
            call.run();
        } catch (Error e) {
            if (e.getClass() != Error.class) {
                throw e;
            }
            throw new NativeFailure(e.getMessage());
        }
    }

    static RTCStatsReport stats(RTCPeerConnection pc) {
        CompletableFuture<RTCStatsReport> result = new CompletableFuture<>();
        pc.getStats(result::complete);
        try {
            return await(result, "getStats");
        } catch (NativeFailure e) {
            throw new RtcException("getStats failed: " + e.getMessage(), e);
        }
    }

    private static <T> T await(CompletableFuture<T> future, String what) throws NativeFailure {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NativeFailure failure) {
                throw failure;
            }
            throw new RtcException(what + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new RtcException(what + " did not complete within " + TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RtcException(what + " interrupted", e);
        }
    }
}
