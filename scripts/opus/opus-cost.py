#!/usr/bin/env python3
"""Opus as libwebrtc configures it for one mono WebRTC audio stream (VOIP application, complexity 9, VBR, in-band
FEC on as Chrome offers it, 20 ms frames), through the system's libopus: CPU time to encode and the decoded speech
against the input, for the full-band default and for cheaper settings. Input: s16le mono 48 kHz."""
import ctypes, sys, time
import numpy as np

lib = ctypes.CDLL("libopus.so.0")
lib.opus_encoder_create.restype = ctypes.c_void_p
lib.opus_decoder_create.restype = ctypes.c_void_p
lib.opus_encode.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_int32]
lib.opus_decode.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int32, ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
lib.opus_encoder_ctl.argtypes = [ctypes.c_void_p, ctypes.c_int]
lib.opus_get_version_string.restype = ctypes.c_char_p
VOIP, WB, SWB, FB = 2048, 1103, 1104, 1105
SET_BITRATE, SET_MAX_BW, SET_COMPLEXITY, SET_FEC, SET_DTX, SET_VBR, GET_LOOKAHEAD = 4002, 4004, 4010, 4012, 4016, 4006, 4027

pcm = np.fromfile(sys.argv[1], dtype="<i2")
rate, frame = 48000, 960
pcm = pcm[: len(pcm) // frame * frame]

def run(label, bitrate, bw, fec=1, dtx=0, complexity=9, reps=5):
    err = ctypes.c_int()
    enc = lib.opus_encoder_create(rate, 1, VOIP, ctypes.byref(err))
    dec = lib.opus_decoder_create(rate, 1, ctypes.byref(err))
    for req, val in ((SET_BITRATE, bitrate), (SET_MAX_BW, bw), (SET_COMPLEXITY, complexity), (SET_FEC, fec),
                     (SET_DTX, dtx), (SET_VBR, 1)):
        assert lib.opus_encoder_ctl(enc, req, ctypes.c_int(val)) == 0
    la = ctypes.c_int()
    lib.opus_encoder_ctl(enc, GET_LOOKAHEAD, ctypes.byref(la))
    out = ctypes.create_string_buffer(4000)
    packets = []
    t0 = time.process_time()
    for r in range(reps):
        for i in range(0, len(pcm), frame):
            chunk = pcm[i:i + frame]
            n = lib.opus_encode(enc, chunk.ctypes.data, frame, out, 4000)
            if r == 0:
                packets.append(out.raw[:n])
    cpu = time.process_time() - t0
    seconds = reps * len(pcm) / rate
    decoded = np.zeros(len(pcm), dtype=np.int16)
    buf = np.zeros(frame, dtype=np.int16)
    sent = 0
    for k, p in enumerate(packets):
        if len(p) <= 2 and dtx:
            n = lib.opus_decode(dec, None, 0, buf.ctypes.data, frame, 0)
        else:
            n = lib.opus_decode(dec, p, len(p), buf.ctypes.data, frame, 0)
        decoded[k * frame:(k + 1) * frame] = buf[:n]
        sent += len(p) > 2
    d = la.value
    x = pcm[: len(pcm) - d].astype(np.float64)
    y = decoded[d:].astype(np.float64)
    kbps = sum(len(p) for p in packets) * 8 / (len(pcm) / rate) / 1000
    # log-spectral distance over 20 ms frames with speech (frame energy within 40 dB of the loudest), 50 Hz-8 kHz
    n = 960
    win = np.hanning(n)
    lsd, seg = [], []
    energies = [np.sum(x[i:i + n] ** 2) for i in range(0, len(x) - n, n)]
    floor = max(energies) * 1e-4
    hi_in = hi_out = 0.0
    for j, i in enumerate(range(0, len(x) - n, n)):
        if energies[j] < floor:
            continue
        X = np.abs(np.fft.rfft(x[i:i + n] * win)) ** 2 + 1e-3
        Y = np.abs(np.fft.rfft(y[i:i + n] * win)) ** 2 + 1e-3
        band = slice(1, 161)  # 50 Hz .. 8 kHz in 50 Hz bins
        lsd.append(np.sqrt(np.mean((10 * np.log10(X[band] / Y[band])) ** 2)))
        e = np.sum((x[i:i + n] - y[i:i + n]) ** 2)
        seg.append(10 * np.log10(np.sum(x[i:i + n] ** 2) / max(e, 1e-9)))
        hi_in += np.sum(X[161:]); hi_out += np.sum(Y[161:])
    print(f"{label:34} {kbps:5.1f} kbit/s  encode {1000 * cpu / seconds:5.2f} ms CPU per s of audio "
          f"({100 * cpu / seconds:.2f} % of a core)  LSD(50 Hz-8 kHz) {np.mean(lsd):5.2f} dB  "
          f"segSNR {np.mean(seg):5.1f} dB  packets {sent}/{len(packets)}")

print("libopus", lib.opus_get_version_string().decode(), "input", len(pcm) / rate, "s")
for _ in range(3):  # the main comparison, interleaved so that a busy machine weighs on each alike
    run("FB 32 kbit/s (libwebrtc default)", 32000, FB, reps=20)
    run("WB 32 kbit/s", 32000, WB, reps=20)
    run("WB 20 kbit/s (maxplaybackrate=16000)", 20000, WB, reps=20)
run("FB 20 kbit/s", 20000, FB)
run("SWB 32 kbit/s (maxplaybackrate=24000)", 32000, SWB)
run("WB 16 kbit/s", 16000, WB)
run("WB 20 kbit/s, no in-band FEC", 20000, WB, fec=0)
run("FB 32 kbit/s, no in-band FEC", 32000, FB, fec=0)
run("WB 20 kbit/s, DTX", 20000, WB, dtx=1)
