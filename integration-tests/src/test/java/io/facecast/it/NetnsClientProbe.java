package io.facecast.it;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.Session;
import io.facecast.api.v1.SessionEvent;
import io.facecast.client.ApiKeys;
import io.facecast.client.FacecastClient;
import io.facecast.client.ReceiverFactories;
import io.facecast.client.Recording;
import io.facecast.rtc.IcePolicy;
import io.facecast.rtc.PeerListener;
import io.facecast.rtc.PeerState;
import io.facecast.rtc.ReceivingPeer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A receiving client as its own process, for a host of {@link NetnsLab}: creates a session through signaling,
 * receives it over WebRTC, has the avatar speak, and prints what it saw, one fact per line, for the test to read:
 * <pre>
 * session ID
 * remote-candidate answer|trickle CANDIDATE   (every ICE candidate the server sent: in the answer, then trickled)
 * connected true|false
 * speech-finished true|false
 * frames N
 * audio-seconds S
 * done
 * </pre>
 * Usage: {@code NetnsClientProbe TARGET API_KEY_FILE SECONDS TEXT}. Exit 0 when media arrived, 4 when not.
 */
public final class NetnsClientProbe {
    public static void main(String[] args) throws Exception {
        String target = args[0];
        String key = ApiKeys.firstKey(Path.of(args[1]));
        int seconds = Integer.parseInt(args[2]);
        String text = args[3];
        Recording recording = new Recording(0);
        List<String[]> pending = new ArrayList<>();
        CountDownLatch connected = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        try (FacecastClient client = FacecastClient.connect(target, key)) {
            Session session = createWhenAStreamerIsThere(client);
            String id = session.getSessionId();
            System.out.println("session " + id);
            boolean[] negotiated = {false};
            PeerListener listener = new PeerListener() {
                @Override
                public void onLocalCandidate(String sdpMid, int sdpMLineIndex, String candidate) {
                    synchronized (pending) {
                        if (!negotiated[0]) {
                            pending.add(new String[] {sdpMid, Integer.toString(sdpMLineIndex), candidate});
                            return;
                        }
                    }
                    client.addIceCandidate(id, sdpMid, sdpMLineIndex, candidate);
                }

                @Override
                public void onConnectionState(PeerState state) {
                    if (state == PeerState.CONNECTED) {
                        connected.countDown();
                    }
                }
            };
            try (ReceivingPeer peer = new ReceivingPeer(ReceiverFactories.shared(), List.of(), IcePolicy.ALL, listener,
                    recording, System::nanoTime)) {
                FacecastClient.EventSubscription events = client.watchEvents(id, new StreamObserver<>() {
                    @Override
                    public void onNext(SessionEvent e) {
                        if (e.hasIceCandidate()) {
                            System.out.println("remote-candidate trickle " + e.getIceCandidate().getCandidate());
                            try {
                                peer.addRemoteCandidate(e.getIceCandidate().getSdpMid(),
                                        e.getIceCandidate().getSdpMlineIndex(), e.getIceCandidate().getCandidate());
                            } catch (Exception ex) {
                                System.out.println("refused-candidate " + ex.getMessage());
                            }
                        }
                        if (e.hasSpeechFinished()) {
                            finished.countDown();
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        System.out.println("event-stream-error " + Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
                String answer = client.negotiate(id, peer.createOffer());
                for (String line : answer.split("\r?\n")) {
                    if (line.startsWith("a=candidate:")) {
                        System.out.println("remote-candidate answer " + line.substring(2));
                    }
                }
                peer.setAnswer(answer);
                List<String[]> toSend;
                synchronized (pending) {
                    negotiated[0] = true;
                    toSend = List.copyOf(pending);
                }
                for (String[] c : toSend) {
                    client.addIceCandidate(id, c[0], Integer.parseInt(c[1]), c[2]);
                }
                boolean up = connected.await(20, TimeUnit.SECONDS);
                System.out.println("connected " + up);
                if (up) {
                    client.speak(id, text);
                    System.out.println("speech-finished " + finished.await(seconds, TimeUnit.SECONDS));
                }
                events.close();
            }
            client.closeSession(id);
        }
        System.out.println("frames " + recording.frameCount());
        System.out.println(String.format(Locale.ROOT, "audio-seconds %.2f", recording.audioSeconds()));
        System.out.println("done");
        System.out.flush();
        System.exit(recording.frameCount() > 0 ? 0 : 4);
    }

    /** Signaling answers UNAVAILABLE until a streamer registered (it starts after signaling). */
    private static Session createWhenAStreamerIsThere(FacecastClient client) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return client.createSession(CreateSessionRequest.getDefaultInstance());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(250); // another process is still coming up: nothing to inject a clock into
            }
        }
    }
}
