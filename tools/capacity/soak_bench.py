#!/usr/bin/python3
"""facecast bench soak: N sessions speaking for a long run on the real local stack, measured in segments by the same
independent receiver and loopback capture as the capacity benchmark; is memory flat and is the pacing still clean?

  ./facecast bench soak --sessions 8 --minutes 60 --out DIR [--segment 300] [--settle 10]

The stack and the receiver are the capacity benchmark's (capacity_bench.FacecastStack). After --warmup seconds the
soak runs --minutes: every --sample seconds it records PSS and RSS of every process (/proc/PID/smaps_rollup), their
CPU time and the bus directory's size (samples.csv); every --segment seconds it closes a segment (segments.csv): the
receiver's figures over that segment (fps, audio gaps at packet arrival, audio seconds per second), the wire figures of
that segment's capture file (dumpcap's ring buffer, one file per segment; the last 2 s of each file are carried into
the next, so a gap across a file boundary is still seen) and each process's CPU share. Speech is topped up every
segment, so every session speaks for the whole run.

The verdict (summary.md, soak.json): no audio gap over 60 ms on the wire and at the receiver, and the PSS of every
process flat within +/- 5 % of its mean once --settle minutes have passed (the issue 10 soak goal). Plots: soak-*.png.
Exit status: 0 when measured (whatever the verdict), 1 when the run could not be completed, 2 for bad usage.
"""
import argparse
import csv
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import analysis as A  # noqa: E402
import capacity_bench as C  # noqa: E402

SERVER = ("signaling", "renderer", "streamer")
CARRY_S = 2.0


def log(msg):
    sys.stderr.write("soak: %s\n" % msg)
    sys.stderr.flush()


class Series(threading.Thread):
    """Every `period` s one row per sample: seconds since the start, PSS/RSS (MB) and CPU ticks of each process, bus MB."""

    def __init__(self, pids, bus, path, period):
        super().__init__(daemon=True)
        self.pids, self.bus, self.period = pids, bus, period
        self.rows = []
        self.t0 = time.monotonic()
        self._halt = threading.Event()
        self._file = open(path, "w", newline="")
        cols = ["t_s"] + ["pss_%s_mb" % k for k in pids] + ["rss_%s_mb" % k for k in pids] \
            + ["cpu_%s_ticks" % k for k in pids] + ["pss_server_mb", "bus_mb"]
        self._csv = csv.DictWriter(self._file, fieldnames=cols)
        self._csv.writeheader()

    def sample(self):
        row = {"t_s": round(time.monotonic() - self.t0, 1)}
        for name, pid in self.pids.items():
            row["pss_%s_mb" % name] = C.mb(C.proc_pss_kb(pid))
            row["rss_%s_mb" % name] = C.mb(C.proc_pss_kb(pid, "Rss"))
            try:
                row["cpu_%s_ticks" % name] = C.proc_cpu_ticks(pid)
            except OSError:
                row["cpu_%s_ticks" % name] = None
        server = [row["pss_%s_mb" % k] for k in SERVER]
        row["pss_server_mb"] = round(sum(server), 1) if None not in server else None
        row["bus_mb"] = round(C.dir_bytes(self.bus) / 1048576.0, 1)
        self.rows.append(row)
        self._csv.writerow(row)
        self._file.flush()

    def run(self):
        while not self._halt.wait(self.period):
            self.sample()

    def stop(self):
        self._halt.set()
        self.join(timeout=30)
        self._file.close()


class RingCapture:
    """dumpcap on lo into a ring of files, one per segment; files are read (then deleted) in order as they close."""

    def __init__(self, work, ports, segment, total, logfile):
        tool = shutil.which("dumpcap")
        if tool is None:
            raise C.BenchError("dumpcap is missing: apt-get install -y tshark")
        flt = "udp and (%s)" % " or ".join("dst port %d" % p for p in ports)
        self.prefix = os.path.join(work, "soak.pcap")
        cmd = [tool, "-i", "lo", "-f", flt, "-s", "128", "-P", "-q", "-w", self.prefix,
               "-b", "duration:%d" % segment, "-a", "duration:%d" % (total + 2)]
        self.proc = C.Proc("dumpcap", cmd, logfile)
        self.proc.wait_for_line(r"Capturing on", 20)
        self.read = set()

    def files(self):
        stem, ext = os.path.splitext(self.prefix)
        return sorted(glob.glob(stem + "_*" + ext))

    def closed_files(self):
        """Files dumpcap has moved past (all but the newest while it runs; all once it ended), not yet read."""
        files = self.files()
        if self.proc.alive():
            files = files[:-1]
        return [f for f in files if f not in self.read]


def wire_segment(data, sessions, carry):
    """Wire figures of one capture file per session, with `carry` (per session: the previous file's last packets)
    before it; returns (figures by session id, the new carry)."""
    by_port = {p: s["id"] for s in sessions for p in s["ports"]}
    packets = {s["id"]: [] for s in sessions}
    for t, _sport, dport, payload in A.pcap_udp(data):
        sid = by_port.get(dport)
        if sid is not None:
            packets[sid].append((t, payload))
    out, new_carry = {}, {}
    for s in sessions:
        own = packets[s["id"]]
        if not own:
            out[s["id"]] = None
            continue
        before = carry.get(s["id"], [])
        t0 = before[-1][0] if before else own[0][0]
        t1 = own[-1][0]
        pts = A.answer_payload_types(s["answer"])
        fig = A.wire_stream(before + own, pts["audio"], pts["video"], t0, t1)
        fig.pop("audio_gap_spans", None)
        out[s["id"]] = fig
        new_carry[s["id"]] = [p for p in own if p[0] >= t1 - CARRY_S]
    return out, new_carry


def worst(rows, key, fn=max):
    vals = [r[key] for r in rows if r and r.get(key) is not None]
    return fn(vals) if vals else None


def flatness(series_rows, settle_s):
    """Per process: PSS after settling — mean, min, max, the largest deviation from the mean (%) and the drift from the
    first to the last tenth of the run (MB); flat when the deviation is within 5 %."""
    after = [r for r in series_rows if r["t_s"] >= settle_s]
    out = {}
    for name in list(SERVER) + ["server"]:
        key = "pss_%s_mb" % name
        vals = [r[key] for r in after if r.get(key) is not None]
        if len(vals) < 2:
            continue
        mean = sum(vals) / len(vals)
        dev = max(abs(v - mean) for v in vals) / mean * 100.0
        tenth = max(1, len(vals) // 10)
        drift = sum(vals[-tenth:]) / tenth - sum(vals[:tenth]) / tenth
        out[name] = {"mean_mb": round(mean, 1), "min_mb": round(min(vals), 1), "max_mb": round(max(vals), 1),
                     "max_dev_pct": round(dev, 2), "drift_mb": round(drift, 1), "flat": dev <= 5.0,
                     "samples": len(vals)}
    return out


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="facecast bench soak", description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=8, help="speaking sessions (default 8)")
    ap.add_argument("--minutes", type=float, default=60, help="length of the soak after warm-up (default 60)")
    ap.add_argument("--segment", type=int, default=300, help="seconds per segment (default 300)")
    ap.add_argument("--sample", type=float, default=10, help="seconds between memory samples (default 10)")
    ap.add_argument("--settle", type=float, default=10,
                    help="minutes after which PSS must be flat (default 10: JIT, heap growth and caches settle)")
    ap.add_argument("--warmup", type=float, default=30, help="seconds after all sessions have media (default 30)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--width", type=int, default=512)
    ap.add_argument("--height", type=int, default=512)
    ap.add_argument("--fps", type=int, default=30)
    ap.add_argument("--receiver", choices=sorted(C.RECEIVERS), default="aiortc",
                    help="aiortc (Python; default) or gst (GStreamer webrtcbin, less CPU on the shared cores)")
    ap.add_argument("--jvm-flag", action="append", default=[])
    ap.add_argument("--no-streamer-jvm-options", action="store_true")
    ap.add_argument("--streamer-jvm-flag", action="append", default=[])
    ap.add_argument("--start-timeout", type=float, default=90)
    ap.add_argument("--plot-only", action="store_true", help="only redraw plots and summary from --out")
    args = ap.parse_args(argv)
    if args.sessions < 1 or args.minutes <= 0 or args.segment < 10:
        ap.error("--sessions >= 1, --minutes > 0 and --segment >= 10 please")
    env_flags = os.environ.get("FACECAST_BENCH_JVM_FLAGS")
    args.jvm_flags = ([f for f in env_flags.split("\n") if f] if env_flags else C.DEFAULT_JVM_FLAGS) + args.jvm_flag
    return args


SEGMENT_COLUMNS = ["segment", "start_min", "rx_fps_min", "rx_audio_gaps_gt60ms", "rx_audio_max_gap_ms",
                   "rx_audio_s_per_s_min", "rx_audio_s_per_s_max", "rx_video_max_gap_ms", "streams_holding",
                   "wire_audio_gaps_gt60ms", "wire_audio_max_gap_ms", "wire_audio_p99_ms", "wire_video_fps_min",
                   "wire_video_frame_p99_ms", "wire_video_max_gap_ms", "cpu_signaling_pct", "cpu_renderer_pct",
                   "cpu_streamer_pct", "cpu_receiver_pct", "pss_signaling_mb", "pss_renderer_mb", "pss_streamer_mb",
                   "pss_server_mb", "bus_mb", "rx_audio_seen_gaps_gt60ms", "sched_audio_late_gt20ms",
                   "sched_video_late_gt20ms", "push_audio_gt5ms", "push_video_gt5ms", "pacing_rt_priority"]


def summary(run, segments, flat, lost=()):
    rx_gaps = sum(r.get("rx_audio_gaps_gt60ms") or 0 for r in segments)
    wire_gaps = sum(r.get("wire_audio_gaps_gt60ms") or 0 for r in segments)
    lines = ["# Soak: %d sessions for %g minutes" % (run["sessions"], run["minutes"]), "",
             "%s, commit %s, %s CPUs, %dx%d@%d, segments of %d s; PSS flat after %g min."
             % (run["date"], run["commit"], run["cpus"], run["width"], run["height"], run["fps"], run["segment"],
                run["settle"]), "",
             "- audio gaps over 60 ms: **%d on the wire** (largest %s ms), **%d at the receiver** (largest %s ms)"
             % (wire_gaps, worst(segments, "wire_audio_max_gap_ms"), rx_gaps, worst(segments, "rx_audio_max_gap_ms")),
             "- wire audio inter-arrival p99, worst segment: %s ms; wire video frame p99, worst segment: %s ms; "
             "largest wire video gap: %s ms" % (worst(segments, "wire_audio_p99_ms"),
                                                worst(segments, "wire_video_frame_p99_ms"),
                                                worst(segments, "wire_video_max_gap_ms")),
             "- receiver fps, worst segment: %s; streams holding in every segment: %s"
             % (worst(segments, "rx_fps_min", min),
                all(r.get("streams_holding") == run["sessions"] for r in segments)),
             "- sessions lost during the run: %s" % ("none" if not lost else "; ".join(
                 "%s at minute %s (%s)" % (x["session"][:8], x["minute"], x["why"]) for x in lost)), "",
             "| process | PSS mean MB | min | max | max deviation % | drift MB (first → last tenth) | flat (±5 %) |",
             "|---|---|---|---|---|---|---|"]
    for name, f in flat.items():
        lines.append("| %s | %s | %s | %s | %s | %+.1f | %s |" % (name, f["mean_mb"], f["min_mb"], f["max_mb"],
                                                                f["max_dev_pct"], f["drift_mb"], f["flat"]))
    lines += ["", "| " + " | ".join(SEGMENT_COLUMNS) + " |", "|" + "---|" * len(SEGMENT_COLUMNS)]
    for r in segments:
        lines.append("| " + " | ".join("" if r.get(k) is None else str(r.get(k)) for k in SEGMENT_COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def plots(out, series_rows, segments, settle_s):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        log("no plots (%s): apt-get install -y python3-matplotlib" % e)
        return
    fig, ax = plt.subplots(figsize=(9, 4.5))
    t = [r["t_s"] / 60.0 for r in series_rows]
    for name in list(SERVER) + ["server"]:
        ax.plot(t, [r.get("pss_%s_mb" % name) for r in series_rows], label=name if name != "server" else "sum")
    ax.axvline(settle_s / 60.0, color="grey", linestyle=":", label="settled")
    ax.set_xlabel("minutes")
    ax.set_ylabel("PSS (MB)")
    ax.set_title("Soak: PSS per process")
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "soak-pss.png"), dpi=110)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(9, 4.5))
    x = [r["start_min"] for r in segments]
    ax.plot(x, [r.get("wire_audio_max_gap_ms") for r in segments], "o-", label="wire: largest audio gap")
    ax.plot(x, [r.get("rx_audio_max_gap_ms") for r in segments], "s-", label="receiver: largest audio gap")
    ax.plot(x, [r.get("wire_audio_p99_ms") for r in segments], "^-", label="wire: audio inter-arrival p99")
    ax.axhline(60, color="red", linestyle="--", label="60 ms")
    ax.set_xlabel("segment start (minutes)")
    ax.set_ylabel("ms")
    ax.set_title("Soak: audio pacing per segment")
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "soak-audio.png"), dpi=110)
    plt.close(fig)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    os.makedirs(args.out, exist_ok=True)
    settle_s = args.settle * 60.0
    if args.plot_only:
        with open(os.path.join(args.out, "soak.json")) as f:
            saved = json.load(f)
        series_rows = [{k: (None if v == "" else float(v)) for k, v in r.items()}
                       for r in csv.DictReader(open(os.path.join(args.out, "samples.csv")))]
        plots(args.out, series_rows, saved["segments"], settle_s)
        with open(os.path.join(args.out, "summary.md"), "w") as f:
            f.write(summary(saved["run"], saved["segments"], flatness(series_rows, settle_s),
                            saved.get("sessions_lost", [])))
        return 0
    C.check_tools(argparse.Namespace(wire_seconds=1, receiver=args.receiver))
    run = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "sessions": args.sessions,
           "minutes": args.minutes, "segment": args.segment, "settle": args.settle, "width": args.width,
           "height": args.height, "fps": args.fps, "cpus": os.cpu_count(), "receiver": args.receiver,
           "jvm_flags": args.jvm_flags,
           "commit": subprocess.run(["git", "-C", C.ROOT, "describe", "--always", "--dirty"], capture_output=True,
                                    text=True).stdout.strip() or "unknown"}

    def on_signal(signum, _frame):
        raise KeyboardInterrupt("signal %d" % signum)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    raw = os.path.join(args.out, "raw")
    shutil.rmtree(raw, ignore_errors=True)
    os.makedirs(raw)
    total = int(args.minutes * 60)
    nseg = max(1, int(round(total / float(args.segment))))
    stack = series = None
    segments = []
    lost = []
    try:
        # 2 texts per session up front and 2 more every segment: one text is about 170 s of speech, so the
        # queue (at most 32 per session) never runs dry and never fills.
        stack = C.FacecastStack(args.sessions, args, raw, texts=4)
        log("%d sessions connected, media after %.1f s; warm-up %.0f s"
            % (len(stack.sessions), stack.media["seconds"], args.warmup))
        time.sleep(args.warmup)
        ports = sorted({p for s in stack.sessions for p in s["ports"]})
        capture = RingCapture(stack.work, ports, args.segment, nseg * args.segment, os.path.join(raw, "dumpcap.log"))
        stack.procs.append(capture.proc)
        series = Series(stack.pids, stack.bus, os.path.join(args.out, "samples.csv"), args.sample)
        series.sample()
        series.start()
        carry = {}
        seg_t0m = time.monotonic()
        ticks0 = {k: C.proc_cpu_ticks(p) for k, p in stack.pids.items()}
        meters0 = stack.streamer_meters()
        for k in range(nseg):
            deadline = series.t0 + (k + 1) * args.segment
            while time.monotonic() < deadline:
                time.sleep(min(5.0, max(0.0, deadline - time.monotonic())))
                stack.check_alive([capture.proc])
            for sid, why in stack.speak(2, tolerant=True).items():
                # The run goes on with the others; the lost session shows in every later segment as not holding.
                lost.append({"session": sid, "minute": round((time.monotonic() - series.t0) / 60.0, 1), "why": why})
                stack.sessions = [s for s in stack.sessions if s["id"] != sid]
                log("session %s has closed: %s" % (sid, why))
            seg_t1m = time.monotonic()
            ticks1 = {name: C.proc_cpu_ticks(p) for name, p in stack.pids.items()}
            meters1 = stack.streamer_meters()
            raw_json = os.path.join(raw, "receiver-seg%02d.json" % k)
            stack.channel.send({"cmd": "window", "t0": seg_t0m, "t1": seg_t1m, "out": raw_json, "trim": True})
            stack.channel.expect("written", 120)
            with open(raw_json) as f:
                recs = json.load(f)["streams"]
            os.remove(raw_json)
            rx = [A.receiver_stream(rec, seg_t0m, seg_t1m) for rec in recs]
            row = {"segment": k, "start_min": round((seg_t0m - series.t0) / 60.0, 2),
                   "rx_fps_min": worst(rx, "fps", min), "rx_audio_gaps_gt60ms": sum(r["audio_gaps_gt60ms"] for r in rx),
                   "rx_audio_max_gap_ms": worst(rx, "audio_max_gap_ms"),
                   "rx_audio_s_per_s_min": worst(rx, "audio_s_per_s", min),
                   "rx_audio_s_per_s_max": worst(rx, "audio_s_per_s"),
                   "rx_video_max_gap_ms": worst(rx, "video_max_gap_ms"),
                   "streams_holding": sum(1 for r in rx if r["holds"]),
                   "rx_audio_seen_gaps_gt60ms": sum(r["audio_seen_gaps_gt60ms"] or 0 for r in rx)}
            row.update(A.scheduler_figures(meters0, meters1))
            for name in stack.pids:
                row["cpu_%s_pct" % name] = A.cpu_percent(ticks0[name], ticks1[name], seg_t1m - seg_t0m, C.TCK)
            last = series.rows[-1]
            for key in ("pss_signaling_mb", "pss_renderer_mb", "pss_streamer_mb", "pss_server_mb", "bus_mb"):
                row[key] = last.get(key)
            segments.append(row)
            seg_t0m, ticks0, meters0 = seg_t1m, ticks1, meters1
            carry = add_wire(capture, stack.sessions, segments, carry)
            log("segment %d/%d: receiver gaps>60ms %s (max %s ms), fps min %s; wire so far: gaps>60ms %s (max %s ms); "
                "server PSS %s MB, streamer CPU %s %%"
                % (k + 1, nseg, row["rx_audio_gaps_gt60ms"], row["rx_audio_max_gap_ms"], row["rx_fps_min"],
                   sum(r.get("wire_audio_gaps_gt60ms") or 0 for r in segments),
                   worst(segments, "wire_audio_max_gap_ms"), row["pss_server_mb"], row["cpu_streamer_pct"]))
            write_segments(args.out, segments)
        capture.proc.popen.wait(timeout=30)
        add_wire(capture, stack.sessions, segments, carry)
        write_segments(args.out, segments)
    except C.BenchError as e:
        log("FAILED: %s" % e)
        return 1
    except KeyboardInterrupt as e:
        log("interrupted (%s); the segments so far are in %s" % (e, args.out))
        return 130
    finally:
        if series is not None:
            series.stop()
        if stack is not None:
            stack.close()
    flat = flatness(series.rows, settle_s)
    with open(os.path.join(args.out, "soak.json"), "w") as f:
        json.dump({"run": run, "segments": segments, "flatness": flat, "sessions_lost": lost}, f, indent=1)
    text = summary(run, segments, flat, lost)
    with open(os.path.join(args.out, "summary.md"), "w") as f:
        f.write(text)
    plots(args.out, series.rows, segments, settle_s)
    sys.stdout.write(text)
    log("results in %s (summary.md, soak.json, samples.csv, segments.csv, soak-*.png)" % args.out)
    return 0


def add_wire(capture, sessions, segments, carry):
    """Reads the capture files that closed since the last call into the segment rows, in order."""
    for path in capture.closed_files():
        capture.read.add(path)
        with open(path, "rb") as f:
            data = f.read()
        os.remove(path)
        figs, carry = wire_segment(data, sessions, carry)
        idx = len(capture.read) - 1
        if idx >= len(segments):
            break  # the capture's last moments after the final segment: nothing to attach them to
        vals = [v for v in figs.values() if v]
        row = segments[idx]
        row["wire_audio_gaps_gt60ms"] = sum(v["wire_audio_gaps_gt60ms"] for v in vals)
        row["wire_audio_max_gap_ms"] = worst(vals, "wire_audio_max_gap_ms")
        row["wire_audio_p99_ms"] = worst(vals, "wire_audio_p99_ms")
        row["wire_video_fps_min"] = worst(vals, "wire_video_fps", min)
        row["wire_video_frame_p99_ms"] = worst(vals, "wire_video_frame_p99_ms")
        row["wire_video_max_gap_ms"] = worst(vals, "wire_video_max_gap_ms")
    return carry


def write_segments(out, segments):
    C.write_csv(os.path.join(out, "segments.csv"), segments, SEGMENT_COLUMNS)


if __name__ == "__main__":
    sys.exit(main())
