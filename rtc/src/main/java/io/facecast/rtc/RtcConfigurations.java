package io.facecast.rtc;

import dev.onvoid.webrtc.RTCBundlePolicy;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceTransportPolicy;
import dev.onvoid.webrtc.RTCRtcpMuxPolicy;
import java.util.List;

/** Builds the native peer configuration from our own types. */
public final class RtcConfigurations {
    private RtcConfigurations() {
    }

    public static RTCConfiguration build(List<IceServerConfig> iceServers, IcePolicy policy) {
        return build(iceServers, policy, UdpPortRange.ANY);
    }

    /** @param ports the local UDP ports its candidates may bind (a declared media port range) */
    public static RTCConfiguration build(List<IceServerConfig> iceServers, IcePolicy policy, UdpPortRange ports) {
        RTCConfiguration config = new RTCConfiguration();
        config.portAllocatorConfig = ports.toNative();
        for (IceServerConfig server : iceServers) {
            config.iceServers.add(server.toRtc());
        }
        config.iceTransportPolicy = policy == IcePolicy.RELAY ? RTCIceTransportPolicy.RELAY : RTCIceTransportPolicy.ALL;
        // BALANCED (the native default) accepts offers with and without a BUNDLE group; MAX_BUNDLE would reject
        // offers from peers that do not bundle (GStreamer's webrtcbin by default). Offerers may tighten it.
        config.bundlePolicy = RTCBundlePolicy.BALANCED;
        config.rtcpMuxPolicy = RTCRtcpMuxPolicy.REQUIRE;
        return config;
    }
}
