package io.facecast.signaling.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.facecast.api.v1.VideoOptions;
import io.facecast.internal.v1.MediaSpec;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ValidationTest {

    private static String invalid(Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        return e.getStatus().getDescription();
    }

    private static VideoOptions video(int w, int h, int fps) {
        return VideoOptions.newBuilder().setWidth(w).setHeight(h).setFps(fps).build();
    }

    @Test
    void videoDefaultsAndLimits() {
        assertEquals(MediaSpec.newBuilder().setWidth(512).setHeight(512).setFps(30).build(),
                VideoOptionsCheck.toMediaSpec(VideoOptions.getDefaultInstance()));
        assertEquals(MediaSpec.newBuilder().setWidth(64).setHeight(1920).setFps(24).build(),
                VideoOptionsCheck.toMediaSpec(video(64, 1920, 24)));
        assertEquals(512, VideoOptionsCheck.toMediaSpec(video(0, 720, 25)).getWidth());
        assertEquals("video.width 62 is out of range; use 64..1920 (or 0 for 512)",
                invalid(() -> VideoOptionsCheck.toMediaSpec(video(62, 0, 0))));
        assertEquals("video.height 1922 is out of range; use 64..1920 (or 0 for 512)",
                invalid(() -> VideoOptionsCheck.toMediaSpec(video(0, 1922, 0))));
        assertEquals("video.height 65 is odd; the video encoder needs an even size",
                invalid(() -> VideoOptionsCheck.toMediaSpec(video(0, 65, 0))));
        assertEquals("video.fps 29 is not supported; use 24, 25 or 30",
                invalid(() -> VideoOptionsCheck.toMediaSpec(video(0, 0, 29))));
        assertEquals("video.width 4294967295 is out of range; use 64..1920 (or 0 for 512)",
                invalid(() -> VideoOptionsCheck.toMediaSpec(video(-1, 0, 0))), "uint32 shown unsigned");
    }

    @Test
    void speechText() {
        assertEquals("hi there", SpeechText.normalize("  hi there\n"));
        assertEquals("text is empty", invalid(() -> SpeechText.normalize(" \t ")));
        assertEquals("text is 2001 characters; the limit is 2000 (split it into several utterances)", invalid(() -> SpeechText.normalize("x".repeat(2001))));
        // 1999 emoji and a letter are 3999 UTF-16 units but 2000 characters.
        String emoji = "\uD83D\uDE00".repeat(SpeechText.MAX_TEXT_CHARS - 1) + "a";
        assertEquals(emoji, SpeechText.normalize(emoji));
        // Only emoji: nothing to say, refused rather than a silent utterance.
        assertTrue(invalid(() -> SpeechText.normalize("\uD83D\uDE00".repeat(10))).startsWith("text has nothing speakable"));
    }

    @Test
    void sdpOffer() {
        String ok = "v=0\r\ns=-\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n";
        SdpOfferCheck.check(ok);
        assertEquals("sdp_offer is empty", invalid(() -> SdpOfferCheck.check("")));
        assertEquals("sdp_offer is empty", invalid(() -> SdpOfferCheck.check(" \n")));
        assertEquals("sdp_offer does not start with v=0 (expected an SDP offer, e.g. RTCPeerConnection.createOffer().sdp)",
                invalid(() -> SdpOfferCheck.check("o=- 1 1 IN IP4 0.0.0.0\r\n")));
        assertEquals("sdp_offer has no m=video section; add a receive-only video transceiver before creating the offer",
                invalid(() -> SdpOfferCheck.check("v=0\nm=audio 9 RTP/AVP 0\n")));
        assertEquals("sdp_offer has no m=audio section; add a receive-only audio transceiver before creating the offer",
                invalid(() -> SdpOfferCheck.check("v=0\nm=video 9 RTP/AVP 96\n")));
        assertEquals("sdp_offer is 70000 characters; the limit is 65536",
                invalid(() -> SdpOfferCheck.check("v=0\n" + "a".repeat(69996))));
    }
}
