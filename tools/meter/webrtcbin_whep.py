"""What Facecast's GStreamer receivers share (facecast_meter.py here, tools/capacity/gst_receiver.py): a receive-only
webrtcbin for one WHEP session, its non-trickle offer, and which medium a pad it adds carries.

Import after gi.require_version('Gst', '1.0') and ('GstWebRTC', '1.0'), as both receivers do.
"""
from gi.repository import Gst, GstWebRTC

# What a browser offers for receiving Facecast: VP8 with NACK and PLI, Opus (stereo-capable, as WebRTC signals it).
VIDEO_CAPS = ('application/x-rtp,media=video,encoding-name=VP8,payload=96,clock-rate=90000,'
              'rtcp-fb-nack=(boolean)true,rtcp-fb-nack-pli=(boolean)true')
AUDIO_CAPS = 'application/x-rtp,media=audio,encoding-name=OPUS,payload=111,clock-rate=48000,encoding-params=(string)2'


def recvonly_webrtcbin(name='webrtc'):
    """A max-bundle webrtcbin with one receive-only video and one receive-only audio transceiver."""
    webrtc = Gst.ElementFactory.make('webrtcbin', name)
    webrtc.set_property('bundle-policy', GstWebRTC.WebRTCBundlePolicy.MAX_BUNDLE)
    recv = GstWebRTC.WebRTCRTPTransceiverDirection.RECVONLY
    for caps in (VIDEO_CAPS, AUDIO_CAPS):
        webrtc.emit('add-transceiver', recv, Gst.Caps.from_string(caps))
    return webrtc


def offer_with_candidates(sdp, candidates):
    """The offer with every gathered candidate, [(m-line index, candidate)], and end-of-candidates in its m-section
    (WHEP without trickle: the server learns all candidates from the one POST)."""
    out, section = [], -1

    def close_section():
        if section >= 0:
            out.extend(c if c.startswith('a=') else 'a=' + c for mline, c in candidates if mline == section)
            out.append('a=end-of-candidates')
    for line in sdp.replace('\r\n', '\n').rstrip('\n').split('\n'):
        if line.startswith('m='):
            close_section()
            section += 1
        out.append(line)
    close_section()
    return '\r\n'.join(out) + '\r\n'


def pad_media(pad):
    """'video' or 'audio' for a source pad webrtcbin adds for an incoming stream, None for anything else."""
    if pad.direction != Gst.PadDirection.SRC:
        return None
    caps = pad.get_current_caps() or pad.query_caps(None)
    media = caps.get_structure(0).get_string('media')
    return media if media in ('video', 'audio') else None
