package io.facecast.rtc;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.AudioDeviceModule;
import dev.onvoid.webrtc.media.audio.AudioDeviceModuleBase;
import dev.onvoid.webrtc.media.audio.AudioLayer;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.util.IdentityHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only safe ways to make a {@link PeerConnectionFactory} on a machine without sound hardware. A factory is
 * heavyweight (threads, codecs): make one per process, share it between peers, and hand it to
 * {@link #dispose(PeerConnectionFactory)} at shutdown, after every peer made from it is closed.
 */
public final class PeerFactories {
    private static final Logger log = LoggerFactory.getLogger(PeerFactories.class);
    private static final Map<PeerConnectionFactory, AudioDeviceModuleBase> DEVICE_MODULES = new IdentityHashMap<>();

    private PeerFactories() {
    }

    /**
     * For {@link SendingPeer}s. A dummy audio device: its recording never starts, so only pushed audio feeds the send
     * stream. (A factory without a device module aborts the JVM, and HeadlessAudioDeviceModule together with
     * CustomAudioSource aborts it about a second after connecting, in webrtc-java 0.14.0.)
     */
    public static PeerConnectionFactory forSending() {
        AudioDeviceModule adm = new AudioDeviceModule(AudioLayer.kDummyAudio);
        return register(new PeerConnectionFactory(adm), adm);
    }

    /**
     * For {@link ReceivingPeer}s. A headless device whose playout is started, because received audio is only decoded
     * (and handed to AudioTrackSinks) while something pulls playout.
     */
    public static PeerConnectionFactory forReceiving() {
        HeadlessAudioDeviceModule adm = new HeadlessAudioDeviceModule();
        PeerConnectionFactory factory = new PeerConnectionFactory(adm);
        // After the factory exists: it initializes the module itself, which would reset a playout started earlier.
        adm.initPlayout();
        adm.startPlayout();
        return register(factory, adm);
    }

    /** Frees the factory and its audio device module. Harmless for a factory already disposed here. */
    public static void dispose(PeerConnectionFactory factory) {
        AudioDeviceModuleBase adm;
        synchronized (DEVICE_MODULES) {
            if (!DEVICE_MODULES.containsKey(factory)) {
                return;
            }
            adm = DEVICE_MODULES.remove(factory);
        }
        factory.dispose();
        try {
            if (adm instanceof HeadlessAudioDeviceModule) {
                adm.stopPlayout();
            }
            adm.dispose();
        } catch (RuntimeException e) {
            log.warn("disposing the audio device module failed", e);
        }
    }

    private static PeerConnectionFactory register(PeerConnectionFactory factory, AudioDeviceModuleBase adm) {
        synchronized (DEVICE_MODULES) {
            DEVICE_MODULES.put(factory, adm);
        }
        return factory;
    }
}
