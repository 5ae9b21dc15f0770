package io.facecast.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.api.v1.FacecastGrpc;
import io.facecast.api.v1.SpeakAudioRequest;
import io.facecast.api.v1.SpeakAudioStart;
import io.facecast.api.v1.SpeakResponse;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Issue 8: {@link FacecastClient#speakAudio} honours gRPC flow control. A server (real Netty, loopback) that takes the
 * upload's start and then stops reading must hold the uploading thread, not make the client pull the whole source
 * into memory; once the server reads again, the rest flows and the answer arrives.
 */
class SpeakAudioFlowControlTest {

    private static final int CHUNK = 32 * 1024;

    @Test
    void aStalledServerHoldsTheUploadInsteadOfTheClientBufferingIt() throws Exception {
        AtomicReference<ServerCallStreamObserver<SpeakResponse>> serverCall = new AtomicReference<>();
        AtomicLong serverReceived = new AtomicLong();
        CountDownLatch started = new CountDownLatch(1);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new FacecastGrpc.FacecastImplBase() {
                    @Override
                    public StreamObserver<SpeakAudioRequest> speakAudio(StreamObserver<SpeakResponse> responses) {
                        ServerCallStreamObserver<SpeakResponse> call = (ServerCallStreamObserver<SpeakResponse>) responses;
                        call.disableAutoRequest();
                        call.request(1); // the start only; then the server stalls
                        serverCall.set(call);
                        return new StreamObserver<>() {
                            @Override public void onNext(SpeakAudioRequest request) {
                                if (request.hasStart()) {
                                    started.countDown();
                                } else {
                                    serverReceived.incrementAndGet();
                                }
                            }
                            @Override public void onError(Throwable t) {}
                            @Override public void onCompleted() {
                                responses.onNext(SpeakResponse.newBuilder().setUtteranceId(7).build());
                                responses.onCompleted();
                            }
                        };
                    }
                }).build().start();
        AtomicLong pulled = new AtomicLong();
        long total = 400; // 12.5 MiB once the server reads again
        Iterator<byte[]> source = new Iterator<>() {
            @Override public boolean hasNext() {
                return pulled.get() < total;
            }
            @Override public byte[] next() {
                pulled.incrementAndGet();
                return new byte[CHUNK];
            }
        };
        try (FacecastClient client = FacecastClient.connect("127.0.0.1:" + server.getPort())) {
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread upload = new Thread(() -> {
                try {
                    outcome.set(client.speakAudio("s", SpeakAudioStart.newBuilder().setWav(true).build(), source));
                } catch (Throwable t) {
                    outcome.set(t);
                }
            }, "upload");
            upload.start();
            assertTrue(started.await(10, TimeUnit.SECONDS), "the server never got the start");

            // The uploading thread must come to rest: the count of chunks taken stops growing, well below the source.
            long bound = UploadFlow.IN_FLIGHT_BOUND_BYTES / CHUNK + 2;
            long last = -1;
            long stableSince = System.nanoTime();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                long now = pulled.get();
                assertTrue(now <= bound, "the client took " + now + " chunks (" + now * CHUNK / 1024
                        + " KiB) from its source while the server read none: it buffers without bound");
                if (now != last) {
                    last = now;
                    stableSince = System.nanoTime();
                } else if (System.nanoTime() - stableSince > TimeUnit.MILLISECONDS.toNanos(1500)) {
                    break;
                }
                Thread.sleep(20); // another thread on a real transport: nothing to inject a clock into
            }
            System.out.printf("[figures] stalled server: client took %d chunks (%d KiB) and waits; bound %d KiB%n",
                    last, last * CHUNK / 1024, bound * CHUNK / 1024);
            assertTrue(upload.isAlive(), "the upload thread should be held by flow control, it ended: " + outcome.get());
            assertEquals(0, serverReceived.get());

            // The server reads again: everything arrives, in order, and the answer comes back.
            serverCall.get().request(Integer.MAX_VALUE);
            upload.join(TimeUnit.SECONDS.toMillis(20));
            assertEquals(7L, outcome.get(), String.valueOf(outcome.get()));
            assertEquals(total, serverReceived.get());
        } finally {
            server.shutdownNow();
        }
    }
}
