package io.facecast.rtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.onvoid.webrtc.PeerConnectionFactory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The answer orders the configured video codec first (the streamer's --video-codec), VP8 unless told otherwise. */
@Timeout(30)
class CodecPreferenceTest {
    private static PeerConnectionFactory sendFactory;
    private static PeerConnectionFactory receiveFactory;

    @BeforeAll
    static void factories() {
        sendFactory = PeerFactories.forSending();
        receiveFactory = PeerFactories.forReceiving();
    }

    @AfterAll
    static void dispose() {
        PeerFactories.dispose(sendFactory);
        PeerFactories.dispose(receiveFactory);
    }

    @Test
    void vp8ByDefault() throws Exception {
        assertEquals("VP8", answeredCodec(SenderOptions.defaults()));
    }

    @Test
    void h264WhenChosen() throws Exception {
        assertEquals("H264", answeredCodec(SenderOptions.defaults().withVideoCodec("h264")));
    }

    @Test
    void unknownNamesAreNormalizedAndBoundsChecked() {
        assertEquals("", SenderOptions.defaults().withVideoCodec(null).videoCodec());
        assertTrue(SenderOptions.defaults().preferVp8());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SenderOptions.defaults().withVideoBitrate(2_000_000, 1_000_000));
    }

    private static String answeredCodec(SenderOptions options) throws Exception {
        try (ReceivingPeer receiver = new ReceivingPeer(receiveFactory, List.of(), PeerListener.NONE,
                     new MediaListener() {
                         @Override
                         public void onVideoFrame(byte[] i420, int width, int height, long arrivalNanos) {
                         }

                         @Override
                         public void onAudio(byte[] pcm, int sampleRate, long arrivalNanos) {
                         }
                     });
             SendingPeer sender = new SendingPeer(sendFactory, "codec", List.of(), 512, 512, 30, PeerListener.NONE,
                     options.withGatherWait(Duration.ZERO))) {
            return LoopbackTransportTest.firstVideoCodec(sender.answer(receiver.createOffer()));
        }
    }
}
