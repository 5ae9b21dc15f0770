"""The capacity benchmark's plots (matplotlib, Debian's python3-matplotlib): every figure vs N, Facecast and the seed
design on the same axes, drawn from capacity.csv's rows (so `--plot-only` redraws a committed sweep)."""
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

STYLE = {"facecast": dict(color="tab:blue", marker="o"), "seed": dict(color="tab:red", marker="s")}
LABEL = {"facecast": "Facecast", "seed": "seed design (aiortc)"}


def series(points, system, key):
    xs, ys = [], []
    for p in sorted((p for p in points if p.get("system") == system), key=lambda p: p["n"]):
        if p.get(key) is not None:
            xs.append(p["n"])
            ys.append(p[key])
    return xs, ys


def _systems(points):
    return [s for s in ("facecast", "seed") if any(p.get("system") == s for p in points)]


def _plot(ax, points, key, label_suffix="", linestyle="-", systems=None):
    drawn = False
    for system in systems or _systems(points):
        xs, ys = series(points, system, key)
        if xs:
            ax.plot(xs, ys, linestyle=linestyle, label=LABEL[system] + label_suffix, **STYLE[system])
            drawn = True
    return drawn


def _finish(fig, ax_list, path, title, ns=(), free=()):
    """Integer ticks at the measured N; y from 0 except on the axes in `free`."""
    for ax in ax_list:
        ax.set_xlabel("sessions (N)")
        if ns:
            ax.set_xticks(sorted(set(ns)))
        if ax not in free:
            ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def draw_all(points, out):
    paths = []
    ns = [p["n"] for p in points]

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4))
    _plot(a1, points, "fps_min", " min")
    _plot(a1, points, "fps_mean", " mean", linestyle="--")
    a1.axhline(29, color="gray", linestyle=":", label="holds: >= 29")
    a1.set_ylabel("video fps per stream (receiver)")
    _plot(a2, points, "streams_holding", " streams holding")
    xs = sorted({p["n"] for p in points})
    a2.plot(xs, xs, color="gray", linestyle=":", label="all streams")
    a2.set_ylabel("streams that hold")
    paths.append(os.path.join(out, "capacity-fps.png"))
    _finish(fig, (a1, a2), paths[-1], "Frames per second and streams holding", ns)

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4))
    _plot(a1, points, "audio_gaps_gt60ms_total", " receiver")
    _plot(a1, points, "wire_audio_gaps_gt60ms_total", " on the wire", linestyle="--")
    a1.set_ylabel("audio gaps > 60 ms (all streams, window)")
    _plot(a2, points, "audio_s_per_s_min", " min")
    _plot(a2, points, "audio_s_per_s_max", " max", linestyle="--")
    a2.axhspan(0.99, 1.01, color="green", alpha=0.1, label="holds: 1.000 +/- 0.01")
    a2.set_ylabel("audio media seconds per wall second")
    paths.append(os.path.join(out, "capacity-audio.png"))
    _finish(fig, (a1, a2), paths[-1], "Audio continuity", ns, free=(a2,))

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4))
    _plot(a1, points, "wire_audio_p99_ms_max", " audio p99 (worst stream)")
    _plot(a1, points, "wire_audio_max_gap_ms", " audio max gap", linestyle="--")
    a1.axhline(25, color="gray", linestyle=":", label="goal p99 25 ms")
    a1.axhline(60, color="gray", linestyle="-.", label="gap 60 ms")
    a1.set_ylabel("audio RTP inter-arrival on the wire (ms)")
    _plot(a2, points, "wire_video_frame_p99_ms_max", " video frame p99 (worst stream)")
    a2.axhline(45, color="gray", linestyle=":", label="goal p99 45 ms")
    a2.set_ylabel("video frame inter-arrival on the wire (ms)")
    paths.append(os.path.join(out, "capacity-wire.png"))
    _finish(fig, (a1, a2), paths[-1], "Pacing on the wire (loopback capture; Facecast only)", ns)

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4))
    _plot(a1, points, "cpu_server_pct", " sending side")
    _plot(a1, points, "cpu_receiver_pct", " receiver", linestyle="--")
    a1.set_ylabel("CPU, % of one core")
    for key, style, name in (("cpu_streamer_pct", "-", "streamer"), ("cpu_renderer_pct", "--", "renderer"),
                             ("cpu_signaling_pct", ":", "signaling")):
        xs, ys = series(points, "facecast", key)
        if xs:
            a2.plot(xs, ys, linestyle=style, marker="o", label="Facecast " + name)
    xs, ys = series(points, "seed", "cpu_sender_pct")
    if xs:
        a2.plot(xs, ys, label="seed sender", **STYLE["seed"])
    a2.set_ylabel("CPU per process, % of one core")
    paths.append(os.path.join(out, "capacity-cpu.png"))
    _finish(fig, (a1, a2), paths[-1], "CPU (utime+stime over the window)", ns)

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4))
    _plot(a1, points, "pss_server_mb", " sending side")
    xs, ys = series(points, "facecast", "pss_receiver_mb")
    if xs:
        a1.plot(xs, ys, linestyle="--", label="Facecast's receiver", **STYLE["facecast"])
    xs, ys = series(points, "seed", "pss_receiver_max_mb")
    if xs:
        a1.plot(xs, ys, linestyle="--", label="seed's receiver", **STYLE["seed"])
    a1.set_ylabel("PSS (MB)")
    for key, style, name in (("pss_streamer_mb", "-", "streamer"), ("pss_renderer_mb", "--", "renderer"),
                             ("pss_signaling_mb", ":", "signaling"), ("bus_max_mb", "-.", "bus directory (max)")):
        xs, ys = series(points, "facecast", key)
        if xs:
            a2.plot(xs, ys, linestyle=style, marker="o", label="Facecast " + name)
    a2.set_ylabel("MB")
    paths.append(os.path.join(out, "capacity-memory.png"))
    _finish(fig, (a1, a2), paths[-1], "Memory (PSS from smaps_rollup) and bus size", ns)
    return paths
