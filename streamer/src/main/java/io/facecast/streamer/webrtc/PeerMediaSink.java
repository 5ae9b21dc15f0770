package io.facecast.streamer.webrtc;

import io.facecast.rtc.SendingPeer;
import io.facecast.streamer.schedule.MediaSink;

/**
 * The scheduler's output for one session: its WebRTC sources once the client has negotiated, nowhere before. The
 * timeline runs from the moment the session opens, so media before negotiation is simply not sent.
 */
public final class PeerMediaSink implements MediaSink {
    private volatile SendingPeer peer;

    public void attach(SendingPeer peer) {
        this.peer = peer;
    }

    public SendingPeer peer() {
        return peer;
    }

    @Override
    public void pushVideo(byte[] i420, int width, int height) {
        SendingPeer p = peer;
        if (p != null) {
            p.pushVideo(i420, width, height);
        }
    }

    @Override
    public void repeatVideo(byte[] i420, int width, int height) {
        SendingPeer p = peer;
        if (p != null) {
            p.repeatVideo(i420, width, height);
        }
    }

    @Override
    public void pushAudio(byte[] pcm, int sampleRate, int channels) {
        SendingPeer p = peer;
        if (p != null) {
            p.pushAudio(pcm, sampleRate, channels);
        }
    }
}
