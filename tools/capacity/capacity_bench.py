#!/usr/bin/python3
"""facecast bench capacity: N sessions speaking continuously on the real local stack, measured by an independent
receiver, on the wire and per process; a sweep over N, with the seed design beside it.

  ./facecast bench capacity --sessions 1,4,8,12,16 --seconds 30 --out DIR [--seed-baseline DIR | --no-seed]

For each N it starts a fresh stack (renderer, signaling, streamer: the jars in */target, launched as ./facecast
launches them, on free ports, with its own certificates, API key and bus directory), then one aiortc receiver process
(tools/capacity/aiortc_receiver.py) that opens N sessions over WHEP at --width x --height @ --fps; every session is
given long texts to speak (queued Speak calls through the HTTP API), so it speaks for the whole run. After --warmup
seconds a window of --seconds starts: a packet capture of the loopback interface (dumpcap, tshark's capture engine;
the first --wire-seconds), CPU and PSS of every process from /proc, the bus directory's size, the streamer's GC log.
Then the seed baseline (its own harness, run from its folder, nothing copied) runs the same N and window.

Outputs in --out: capacity.csv (one row per system and N), streams.csv (one row per stream), summary.md, and
capacity-*.png (fps, audio, wire, CPU, memory vs N, both systems on the same axes); raw/ holds each point's logs,
GC log, the receiver's raw record and the wire figures. docs/benchmarks/README.md says what every column means.

Exit status: 0 when every point was measured (whether or not it held), 1 when a point could not be measured (the
message says which process and where its log is), 2 for bad usage or a missing tool.
"""
import argparse
import csv
import ctypes
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import analysis as A  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
# The receiver of Facecast's sessions (--receiver): neither is webrtc-java. aiortc (Python) is the and the seed
# harness's; webrtcbin (GStreamer, C) takes much less of the shared cores per stream.
RECEIVERS = {"aiortc": "aiortc_receiver.py", "gst": "gst_receiver.py"}
TCK = os.sysconf("SC_CLK_TCK")
# The flags every Facecast JVM gets (README "Every JVM needs these flags"); ./facecast passes its own list instead
# (FACECAST_BENCH_JVM_FLAGS), so the benchmark launches exactly what `./facecast up` launches.
DEFAULT_JVM_FLAGS = ["--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
                     "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                     "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                     "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
                     "-Dchronicle.announcer.disable=true", "-Djava.awt.headless=true"]
# Long plain sentences (FreeTTS speaks ~14 characters a second: one text is about two minutes of speech).
TEXT = (
    "Good evening, and thank you for joining this capacity test of the streaming avatar. "
    "I am going to keep talking for as long as the benchmark runs, so that every session sends speech all the time. "
    "The renderer turns this text into sentences, synthesizes each one, and draws the mouth shapes that go with "
    "every sound. The streamer then paces audio and video from one clock and sends them to the receiver. "
    "A stream holds when it delivers at least twenty nine frames per second, never loses more than sixty "
    "milliseconds of audio, and plays one second of sound for every second of wall clock time. "
    "While I speak, the benchmark counts packets on the loopback interface, reads the processor time of every "
    "process, and measures how much memory each of them uses. It also records every garbage collection pause of "
    "the streamer, so that a stall on the wire can be matched with its cause. "
    "The same measurement is made for one session, for four sessions, and for many more, and the figures are "
    "drawn next to those of the original design, measured in the same sitting with the same rules. "
    "If the numbers look good, the machine can host more people at once. If they do not, the plots show where "
    "the time goes, and which part of the system needs attention first. "
    "Now let me tell you about the weather. It was a calm morning with a light breeze from the west, and the "
    "clouds moved slowly over the hills. In the afternoon the sun came out, and the river sparkled under the "
    "bridge. People walked along the water, talking about their plans for the weekend. "
    "Some of them carried baskets of apples from the market, and some of them stopped to watch the boats. "
    "Later, the wind turned cold, and everybody went home for dinner. That is the end of the weather report, "
    "and the beginning of another long sentence, because this test needs speech without pauses."
)


class BenchError(Exception):
    """A point that could not be measured; the message says what failed and where to look."""


def _die_with_parent():
    """Runs in the child before exec: the kernel kills it if the benchmark dies (even by SIGKILL)."""
    try:
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def log(msg):
    sys.stderr.write("capacity: %s\n" % msg)
    sys.stderr.flush()


# ---------------------------------------------------------------- processes
class Proc:
    """A child process with its output in a log file; stopped with SIGTERM, then SIGKILL after a grace period."""

    def __init__(self, name, cmd, logfile, env=None, group=False, stdin=None, stdout=None):
        self.name = name
        self.log_path = logfile
        self._log = open(logfile, "w")
        self.popen = subprocess.Popen(cmd, stdout=stdout if stdout is not None else self._log, stderr=self._log,
                                      stdin=stdin, env=env, text=True, cwd=ROOT,
                                      start_new_session=group, preexec_fn=None if group else _die_with_parent)
        self.group = group
        self.pid = self.popen.pid

    def alive(self):
        return self.popen.poll() is None

    def wait_for_line(self, pattern, timeout):
        """The first match of `pattern` in the log (its groups), waiting up to `timeout` s; fails if the process ends."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            with open(self.log_path, errors="replace") as f:
                m = rx.search(f.read())
            if m:
                return m
            if not self.alive():
                raise BenchError("%s exited (status %s) before printing /%s/; its log %s ends:\n%s"
                                 % (self.name, self.popen.returncode, pattern, self.log_path, self.tail()))
            if time.monotonic() > deadline:
                raise BenchError("%s did not print /%s/ within %.0f s; its log %s ends:\n%s"
                                 % (self.name, pattern, timeout, self.log_path, self.tail()))
            time.sleep(0.1)

    def tail(self, lines=20):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def stop(self, grace=20):
        if self.alive():
            self._signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                log("%s did not stop within %d s of SIGTERM: killing it" % (self.name, grace))
                self._signal(signal.SIGKILL)
                self.popen.wait(timeout=10)
        elif self.group:
            self._signal(signal.SIGKILL)  # the leader is gone; its group (e.g. the seed's sender) may not be
        self._log.close()

    def _signal(self, sig):
        try:
            if self.group:
                os.killpg(self.pid, sig)  # a group this benchmark created (start_new_session): the leader's pgid
            else:
                self.popen.send_signal(sig)
        except ProcessLookupError:
            pass


def proc_cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        return A.stat_cpu_ticks(f.read())


def proc_pss_kb(pid, field="Pss"):
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            return A.smaps_rollup_kb(f.read(), field)
    except (OSError, ValueError):
        return None


def dir_bytes(path):
    """Bytes a directory really occupies (allocated blocks, as du counts: Chronicle's cycle files are sparse)."""
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_blocks * 512
            except OSError:
                pass  # a cycle file deleted while we walk
    return total


def group_pids(pgid):
    """Processes of a process group (the seed harness's sender and receiver below its bench.py)."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                stat = f.read()
            with open("/proc/%s/cmdline" % entry, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[2]) == pgid:
            out[int(entry)] = cmd
    return out


class Sampler(threading.Thread):
    """Polls PSS of named pids (and optionally a directory's size) every `period` s; keeps the maxima."""

    def __init__(self, pids_fn, bus=None, period=2.0):
        super().__init__(daemon=True)
        self.pids_fn = pids_fn
        self.bus = bus
        self.period = period
        self.pss_max = {}
        self.bus_max = 0
        self._halt = threading.Event()

    def sample(self):
        for name, pid in self.pids_fn().items():
            kb = proc_pss_kb(pid)
            if kb is not None:
                self.pss_max[name] = max(self.pss_max.get(name, 0), kb)
        if self.bus:
            self.bus_max = max(self.bus_max, dir_bytes(self.bus))

    def run(self):
        while not self._halt.wait(self.period):
            self.sample()

    def stop(self):
        self._halt.set()
        self.join(timeout=10)


# ---------------------------------------------------------------- HTTP
def http(method, url, key, body=None, content_type=None, timeout=15):
    headers = {"Authorization": "Bearer " + key}
    if content_type:
        headers["Content-Type"] = content_type
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return resp.status, resp.read().decode()


def wait_stack_ready(base, key, timeout):
    """Signaling answers 503 until the streamer registered; the stack is ready once a session can be made."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            _, body = http("POST", base + "/api/sessions", key, b"{}", "application/json")
            http("DELETE", base + "/api/sessions/" + json.loads(body)["sessionId"], key)
            return
        except urllib.error.HTTPError as e:
            last = "%d %s" % (e.code, e.read().decode(errors="replace")[:200])
            if e.code != 503:
                raise BenchError("signaling refused a test session: " + last)
        except (urllib.error.URLError, OSError) as e:
            last = str(e)
        time.sleep(0.3)
    raise BenchError("no streamer registered with signaling within %.0f s (last answer: %s)" % (timeout, last))


# ---------------------------------------------------------------- capture
class Capture:
    """dumpcap (tshark's capture engine) on the loopback interface, UDP to the receiver's ports, classic pcap."""

    def __init__(self, path, ports, seconds, logfile):
        flt = "udp and (%s)" % " or ".join("dst port %d" % p for p in ports)
        tool = shutil.which("dumpcap") or shutil.which("tshark")
        if tool is None:
            raise BenchError("dumpcap/tshark is missing: apt-get install -y tshark")
        # It runs a little longer than the analysed span, which starts after it reports capturing: the end of the
        # capture must not look like silence at the end of the span.
        cmd = [tool, "-i", "lo", "-f", flt, "-s", "128", "-w", path, "-a", "duration:%d" % (int(seconds) + 2), "-q"]
        cmd += ["-P"] if tool.endswith("dumpcap") else ["-F", "pcap"]
        self.path = path
        self.proc = Proc("dumpcap", cmd, logfile)
        self.proc.wait_for_line(r"Capturing on", 20)

    def finish(self, timeout):
        try:
            self.proc.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        self.proc.stop(grace=5)
        if not os.path.exists(self.path):
            raise BenchError("the capture wrote nothing; see " + self.proc.log_path)
        with open(self.path, "rb") as f:
            return f.read()


def wire_figures(pcap, sessions, t0, t1):
    """Per-session wire figures keyed by session id, from the capture's bytes (times are wall-clock)."""
    by_port = {}
    for s in sessions:
        for p in s["ports"]:
            by_port[p] = s["id"]
    packets = {s["id"]: [] for s in sessions}
    for t, _sport, dport, payload in A.pcap_udp(pcap):
        sid = by_port.get(dport)
        if sid is not None:
            packets[sid].append((t, payload))
    out = {}
    for s in sessions:
        pts = A.answer_payload_types(s["answer"])
        out[s["id"]] = A.wire_stream(packets[s["id"]], pts["audio"], pts["video"], t0, t1)
    return out


# ---------------------------------------------------------------- Facecast
def jar(module):
    path = os.path.join(ROOT, module, "target", "facecast-%s.jar" % module)
    if not os.path.exists(path):
        raise BenchError("%s is missing: build first (./mvnw -B -q -DskipTests package, or ./facecast demo)" % path)
    return path


class FacecastStack:
    """The real local stack (renderer, signaling, one streamer: the jars in */target, launched as ./facecast launches
    them, on free ports, with its own certificates, API key and bus directory) and one aiortc receiver holding N WHEP
    sessions, each given `texts` long texts to speak. Shared by the capacity sweep and the soak (soak_bench.py)."""

    def __init__(self, n, args, raw, texts):
        self.n = n
        self.work = tempfile.mkdtemp(prefix="facecast-capacity-")
        self.bus = tempfile.mkdtemp(prefix="facecast-capacity-bus-",
                                    dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
        self.procs = []
        self.receiver = None
        try:
            self._start(n, args, raw, texts)
        except BaseException:
            self.close()
            raise

    def _start(self, n, args, raw, texts):
        flags = list(args.jvm_flags)
        java = shutil.which("java") or "java"
        tls = os.path.join(self.work, "tls")
        subprocess.run([java, "-jar", jar("security"), "local", "--dir", tls, "--streamer", "streamer-1"],
                       check=True, stdout=subprocess.DEVNULL, cwd=ROOT, timeout=120)
        key_file = os.path.join(self.work, "api-key")
        bus = self.bus

        def jvm(name, module, jvm_extra, app_args):
            gc = os.path.join(raw, "%s-gc.log" % name)
            cmd = [java] + flags + ["-Xlog:gc*,safepoint:file=%s:tm,tags" % gc] + jvm_extra + ["-jar", jar(module)]
            p = Proc(name, cmd + app_args, os.path.join(raw, name + ".log"))
            self.procs.append(p)
            return p

        # The renderer's and the streamer's own JVM settings (docs/performance.md), as ./facecast uses them.
        r_options = os.path.join(ROOT, "renderer", "jvm.options")
        r_own = ["@" + r_options] if os.path.exists(r_options) else []
        renderer = jvm("renderer", "renderer", r_own, ["--port", "0", "--ops-port", "0", "--tls-dir", tls,
                                                    "--bus-root", bus])
        r_addr = "%s:%s" % renderer.wait_for_line(r"listening on ([0-9.]+):(\d+)", args.start_timeout).groups()
        signaling = jvm("signaling", "signaling", [], [
            "--port", "0", "--internal-port", "0", "--http-port", "0", "--renderer", r_addr, "--tls-dir", tls,
            "--api-key-file", key_file, "--key-session-quota", str(max(64, 2 * n)), "--key-rate", "1000",
            "--key-burst", "1000",
            # exactly N sessions on the one streamer: the fleet's load threshold would turn the last ones away
            "--placement-threshold", "1"])
        signaling.wait_for_line(r"listening on", args.start_timeout)
        internal = "%s:%s" % signaling.wait_for_line(r"control plane on ([0-9.]+):(\d+)", args.start_timeout).groups()
        base = signaling.wait_for_line(r"demo page: (http://\S+?)/?\s", args.start_timeout).group(1)
        # The streamer's own JVM settings (collector, heap, priorities: docs/performance.md), as ./facecast uses them.
        options = os.path.join(ROOT, "streamer", "jvm.options")
        own = ["@" + options] if os.path.exists(options) and not args.no_streamer_jvm_options else []
        streamer = jvm("streamer", "streamer", own + list(args.streamer_jvm_flag), [
            "--port", "0", "--ops-port", "0", "--id", "streamer-1", "--signaling", internal, "--bus-root", bus,
            # N + 1: the readiness probe's session may still hold a slot while the N sessions are made
            "--tls-dir", tls, "--max-sessions", str(n + 1)])
        streamer.wait_for_line(r"listening on", args.start_timeout)
        self.streamer_ops = streamer.wait_for_line(r"streamer ops on (http://\S+?)/?\s", args.start_timeout).group(1)
        with open(key_file) as f:
            key = [line.strip() for line in f if line.strip() and not line.startswith("#")][0]
        wait_stack_ready(base, key, args.start_timeout)

        env = dict(os.environ, FACECAST_API_KEY=key)
        whep = "%s/whep?width=%d&height=%d&fps=%d" % (base, args.width, args.height, args.fps)
        # --receiver-nice: the receiver yields the cores to the stack, as if it ran elsewhere (the wire columns then
        # show what the stack does with the CPU it would have; the receiver's own columns suffer instead)
        niced = ["nice", "-n", str(args.receiver_nice)] if getattr(args, "receiver_nice", 0) else []
        self.receiver = Proc("receiver", niced + [PY, os.path.join(HERE, RECEIVERS[args.receiver]), "--whep", whep, "--sessions",
                                          str(n), "--timeout", str(args.start_timeout)],
                             os.path.join(raw, "receiver.log"), env=env, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE)
        self.procs.append(self.receiver)
        self.channel = Channel(self.receiver)
        self.base, self.key = base, key
        self.sessions = self.channel.expect("sessions", args.start_timeout + 30 * n)["sessions"]
        self.speak(texts)
        self.media = self.channel.expect("media", args.start_timeout + 10)
        self.pids = {"signaling": signaling.pid, "renderer": renderer.pid, "streamer": streamer.pid,
                     "receiver": self.receiver.pid}

    def speak(self, texts, tolerant=False):
        """Queues `texts` long texts on every session (Speak calls through the HTTP API): it speaks without a pause.
        With tolerant, a session whose queue is full (429) is left as it is, and one that has closed (409) is
        returned, {id: the server's message}, instead of failing the run."""
        closed = {}
        for s in self.sessions:
            for _ in range(texts):
                try:
                    http("POST", "%s/api/sessions/%s/speak" % (self.base, s["id"]), self.key,
                         json.dumps({"text": TEXT}).encode(), "application/json")
                except urllib.error.HTTPError as e:
                    if tolerant and e.code == 429:
                        continue
                    if tolerant and e.code == 409:
                        closed[s["id"]] = e.read().decode(errors="replace")[:300]
                        break
                    raise
        return closed

    def streamer_meters(self):
        """The streamer's /metrics as samples ({} if it does not answer: the figures are then left empty)."""
        try:
            with urllib.request.urlopen(self.streamer_ops + "/metrics", timeout=5) as resp:
                return A.prometheus_samples(resp.read().decode(errors="replace"))
        except (OSError, ValueError) as e:
            log("streamer /metrics: %s" % e)
            return {}

    def check_alive(self, except_procs=()):
        for p in self.procs:
            if p not in except_procs and not p.alive():
                raise BenchError("%s died during the window; its log %s ends:\n%s" % (p.name, p.log_path, p.tail()))

    def close(self):
        receiver = self.receiver
        if receiver is not None and receiver.alive():
            try:
                receiver.popen.stdin.write(json.dumps({"cmd": "stop"}) + "\n")
                receiver.popen.stdin.flush()
                receiver.popen.wait(timeout=20)
            except (OSError, subprocess.TimeoutExpired, ValueError):
                pass
        for p in reversed(self.procs):  # dumpcap, receiver, streamer, signaling, renderer
            p.stop()
        shutil.rmtree(self.work, ignore_errors=True)
        shutil.rmtree(self.bus, ignore_errors=True)


def run_facecast(n, args, raw):
    texts = max(2, min(32, int((args.warmup + args.seconds + 60) / 60) + 1))  # one text: about 2 min
    stack = FacecastStack(n, args, raw, texts)
    sampler = None
    try:
        sessions, channel, bus, work, procs = stack.sessions, stack.channel, stack.bus, stack.work, stack.procs
        log("facecast N=%d: %d sessions connected, media after %.1f s; warm-up %.0f s"
            % (n, len(sessions), stack.media["seconds"], args.warmup))
        time.sleep(args.warmup)

        pids = stack.pids
        ports = sorted({p for s in sessions for p in s["ports"]})
        pcap = os.path.join(work, "wire.pcap")
        wire_s = min(args.wire_seconds, args.seconds)
        capture = Capture(pcap, ports, wire_s, os.path.join(raw, "dumpcap.log")) if wire_s > 0 and ports else None
        if capture is not None:
            procs.append(capture.proc)
        sampler = Sampler(lambda: pids, bus)
        t0m, t0w = time.monotonic(), time.time()
        c0 = {k: proc_cpu_ticks(p) for k, p in pids.items()}
        meters0 = stack.streamer_meters()
        sampler.sample()
        sampler.start()
        time.sleep(args.seconds)
        c1 = {k: proc_cpu_ticks(p) for k, p in pids.items()}
        meters1 = stack.streamer_meters()
        t1m, t1w = time.monotonic(), time.time()
        sampler.stop()
        sampler.sample()
        pss_end = {k: proc_pss_kb(p) for k, p in pids.items()}
        rss_end = {k: proc_pss_kb(p, "Rss") for k, p in pids.items()}
        bus_end = dir_bytes(bus)
        window = t1m - t0m
        # The capture ends on its own after --wire-seconds, which may be shorter than the window.
        stack.check_alive([capture.proc] if capture is not None and capture.proc.popen.poll() == 0 else [])
        raw_json = os.path.join(raw, "receiver-raw.json")
        channel.send({"cmd": "window", "t0": t0m, "t1": t1m, "out": raw_json})
        channel.expect("written", 60)
        wire = {}
        if capture is not None:
            data = capture.finish(timeout=wire_s + 15)
            wire = wire_figures(data, sessions, t0w, t0w + wire_s)
            if args.keep_pcap:
                shutil.copy(pcap, os.path.join(raw, "wire.pcap"))
        with open(raw_json) as f:
            recs = json.load(f)["streams"]
        streams = []
        for i, rec in enumerate(recs):
            row = {"system": "facecast", "n": n, "stream": i, "session": rec["id"]}
            row.update(A.receiver_stream(rec, t0m, t1m))
            row.update(wire.get(rec["id"], {}))
            streams.append(row)
        stops = []
        with open(os.path.join(raw, "streamer-gc.log"), errors="replace") as f:
            gc = A.gc_log_summary(f, int(t0w * 1000), int(t1w * 1000), stops)
        # Wire gaps of several streams at once are a stall of the streamer as a whole; do they meet a safepoint?
        events = A.stall_events([wire[s["id"]].pop("audio_gap_spans") for s in sessions if s["id"] in wire])
        with open(os.path.join(raw, "wire.json"), "w") as f:
            json.dump({"streams": wire, "stall_events": [
                {"start": e["start"], "end": e["end"], "ms": round((e["end"] - e["start"]) * 1000, 1),
                 "streams": len(e["streams"])} for e in events]}, f, indent=1)
        point = {"system": "facecast", "n": n, "window_s": round(window, 2), "wire_s": wire_s if capture else 0}
        point.update(A.summarize_streams(streams))
        for name in ("signaling", "renderer", "streamer", "receiver"):
            point["cpu_%s_pct" % name] = A.cpu_percent(c0[name], c1[name], window, TCK)
            point["pss_%s_mb" % name] = mb(pss_end[name])
            point["pss_%s_max_mb" % name] = mb(sampler.pss_max.get(name))
            point["rss_%s_mb" % name] = mb(rss_end[name])
        point["cpu_server_pct"] = round(sum(point["cpu_%s_pct" % k] for k in ("signaling", "renderer", "streamer")), 1)
        server_pss = [pss_end[k] for k in ("signaling", "renderer", "streamer")]
        point["pss_server_mb"] = mb(sum(server_pss)) if None not in server_pss else None
        point["bus_mb"] = mb(bus_end / 1024.0)
        point["bus_max_mb"] = mb(sampler.bus_max / 1024.0)
        point.update({"streamer_" + k: v for k, v in gc.items()})
        point.update(A.scheduler_figures(meters0, meters1))
        if capture is not None:
            point["wire_stall_events"] = len(events)
            point["wire_stall_events_all_streams"] = sum(1 for e in events if len(e["streams"]) == len(sessions))
            point["wire_stall_events_at_safepoint"] = A.stops_overlapping(events, stops)
        return point, streams
    finally:
        if sampler is not None:
            sampler.stop()
        stack.close()


def mb(kb):
    return None if kb is None else round(kb / 1024.0, 1)


class Channel:
    """The receiver's protocol lines (its stdout), read by one thread into a queue."""

    def __init__(self, proc):
        self.proc = proc
        self.events = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.popen.stdout:
            try:
                self.events.put(json.loads(line))
            except ValueError:
                pass
        self.events.put({"event": "eof"})

    def send(self, obj):
        self.proc.popen.stdin.write(json.dumps(obj) + "\n")
        self.proc.popen.stdin.flush()

    def expect(self, wanted, timeout):
        """The next line of kind `wanted`, or a BenchError with the receiver's log."""
        deadline = time.monotonic() + timeout
        why = "nothing within %.0f s" % timeout
        while True:
            try:
                ev = self.events.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if ev.get("event") == wanted:
                return ev
            if ev.get("event") == "error":
                why = ev.get("message")
                break
            if ev.get("event") == "eof":
                why = "it exited"
                break
        raise BenchError("receiver: waiting for '%s': %s; its log %s ends:\n%s"
                         % (wanted, why, self.proc.log_path, self.proc.tail()))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- seed baseline
def run_seed(n, args, raw, port):
    """One point of the seed design through its own harness (bench.py), run in its folder; per-stream figures from
    its receiver's JSON, PSS of its sender and receiver sampled here."""
    bench = os.path.join(args.seed_baseline, "bench.py")
    csv_path = os.path.join(raw, "seed-results.csv")
    cmd = [PY, bench, str(n), "--warmup", str(args.warmup), "--window", str(args.seconds), "--csv", csv_path,
           "--tmp", raw, "--port", str(port)]
    proc = Proc("seed bench.py", cmd, os.path.join(raw, "bench.log"), group=True)
    roles = {}

    def pids():
        for pid, cmdline in group_pids(proc.pid).items():
            if "seed_sender.py" in cmdline:
                roles["sender"] = pid
            elif "receiver.py" in cmdline:
                roles["receiver"] = pid
        return dict(roles)
    sampler = Sampler(pids, period=2.0)
    sampler.start()
    try:
        proc.popen.wait(timeout=args.warmup + args.seconds + 120 + 10 * n)
    except subprocess.TimeoutExpired:
        raise BenchError("the seed harness did not finish in time; its log: " + os.path.join(raw, "bench.log"))
    finally:
        sampler.stop()
        proc.stop()
    if proc.popen.returncode != 0:
        raise BenchError("the seed harness failed (status %d); its log %s ends:\n%s"
                         % (proc.popen.returncode, proc.log_path, proc.tail()))
    with open(csv_path) as f:
        row = list(csv.DictReader(f))[-1]
    with open(os.path.join(raw, "receiver-seed-n%d.json" % n)) as f:
        rres = json.load(f)
    streams = []
    for s in rres["streams"]:
        # The seed's encoder repeats the current picture as fast as the CPU allows (hundreds of encodes per
        # second), so its "fps" is distinct pictures per second (the barcode changes), not decoded frames.
        fps = s["content_fps"]
        audio_s = s.get("audio_media_s_per_s")
        streams.append({"system": "seed", "n": n, "stream": s["stream"], "session": "",
                        "fps": round(fps, 2), "decoded_fps": round(s["video_fps"], 1),
                        "audio_gaps_gt60ms": s["audio_gaps_gt60ms"],
                        "audio_max_gap_ms": None if s["audio_max_gap_ms"] is None else round(s["audio_max_gap_ms"], 1),
                        "audio_s_per_s": None if audio_s is None else round(audio_s, 4),
                        "video_max_gap_ms": None if s.get("video_max_gap_ms") is None
                        else round(s["video_max_gap_ms"], 1),
                        "holds": A.holds(fps, s["audio_gaps_gt60ms"], audio_s)})
    point = {"system": "seed", "n": n, "window_s": float(row["window_s"]), "wire_s": 0}
    point.update(A.summarize_streams(streams))
    point["cpu_sender_pct"] = float(row["sender_cpu_pct"])
    point["cpu_receiver_pct"] = float(row["receiver_cpu_pct"])
    point["cpu_server_pct"] = point["cpu_sender_pct"]
    point["pss_sender_max_mb"] = mb(sampler.pss_max.get("sender"))
    point["pss_receiver_max_mb"] = mb(sampler.pss_max.get("receiver"))
    point["pss_server_mb"] = point["pss_sender_max_mb"]
    return point, streams


def find_seed(args):
    if args.no_seed:
        return None
    path = args.seed_baseline or os.path.join(ROOT, "..", "shared", "seed-baseline")
    if os.path.exists(os.path.join(path, "bench.py")):
        return os.path.abspath(path)
    if args.seed_baseline:
        raise SystemExit("capacity: --seed-baseline %s has no bench.py" % args.seed_baseline)
    log("no seed baseline at %s (give --seed-baseline DIR, or --no-seed): measuring Facecast only" % path)
    return None


# ---------------------------------------------------------------- output
POINT_COLUMNS = [
    "system", "n", "window_s", "wire_s", "streams", "streams_holding", "all_hold", "fps_min", "fps_mean",
    "audio_gaps_gt60ms_total", "audio_gaps_gt60ms_max_per_stream", "audio_max_gap_ms", "audio_s_per_s_min",
    "audio_s_per_s_max", "wire_audio_p99_ms_max", "wire_audio_gaps_gt60ms_total",
    "wire_audio_gaps_gt60ms_max_per_stream", "wire_audio_max_gap_ms", "wire_video_frame_p99_ms_max",
    "wire_video_max_gap_ms", "wire_video_fps_min", "wire_stall_events", "wire_stall_events_all_streams",
    "wire_stall_events_at_safepoint", "cpu_server_pct", "cpu_signaling_pct", "cpu_renderer_pct",
    "cpu_streamer_pct", "cpu_sender_pct", "cpu_receiver_pct", "pss_server_mb", "pss_signaling_mb",
    "pss_renderer_mb", "pss_streamer_mb", "pss_receiver_mb", "pss_signaling_max_mb", "pss_renderer_max_mb",
    "pss_streamer_max_mb", "pss_sender_max_mb", "pss_receiver_max_mb", "bus_mb", "bus_max_mb",
    "streamer_gc_pauses", "streamer_gc_pause_max_ms", "streamer_gc_pause_total_ms", "streamer_safepoints",
    "streamer_safepoint_max_ms", "streamer_safepoint_total_ms", "cpu_server_pct_per_session",
    "cpu_streamer_pct_per_session", "cpu_renderer_pct_per_session", "pss_server_mb_per_session",
    "rss_signaling_mb", "rss_renderer_mb", "rss_streamer_mb", "rss_receiver_mb", "audio_seen_gaps_gt60ms_total",
    "audio_seen_max_gap_ms", "sched_audio_pushes", "sched_audio_late_gt10ms", "sched_audio_late_gt20ms",
    "push_audio_gt5ms", "push_audio_gt20ms", "sched_video_pushes", "sched_video_late_gt10ms",
    "sched_video_late_gt20ms", "push_video_gt5ms", "push_video_gt20ms", "pacing_rt_priority"]
STREAM_COLUMNS = [
    "system", "n", "stream", "session", "holds", "fps", "decoded_fps", "audio_gaps_gt60ms", "audio_max_gap_ms",
    "audio_p99_ms", "audio_s_per_s", "video_max_gap_ms", "audio_seen_gaps_gt60ms", "audio_seen_max_gap_ms",
    "wire_audio_packets", "wire_audio_p99_ms",
    "wire_audio_gaps_gt60ms", "wire_audio_max_gap_ms", "wire_video_fps", "wire_video_frame_p99_ms",
    "wire_video_gaps_gt100ms", "wire_video_max_gap_ms"]


def write_csv(path, rows, columns):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in columns})


def per_session(point):
    """Figures divided by N (the issue's goals are per session: streamer CPU <= 5 %, PSS <= 64 MB)."""
    n = point["n"]
    for key in ("cpu_server_pct", "cpu_streamer_pct", "cpu_renderer_pct", "pss_server_mb"):
        if point.get(key) is not None:
            point[key + "_per_session"] = round(point[key] / n, 2)


def marginal_lines(points):
    """What each added session cost between consecutive N of one system (CPU %, PSS MB): fixed costs drop out."""
    out = []
    for system in ("facecast", "seed"):
        ps = sorted((p for p in points if p["system"] == system), key=lambda p: p["n"])
        for a, b in zip(ps, ps[1:]):
            d = b["n"] - a["n"]
            if d <= 0:
                continue
            parts = []
            for key, unit in (("cpu_server_pct", "% CPU"), ("cpu_streamer_pct", "% streamer CPU"),
                              ("pss_server_mb", "MB PSS"), ("pss_streamer_mb", "MB streamer PSS")):
                if a.get(key) is not None and b.get(key) is not None:
                    parts.append("%+.1f %s" % ((b[key] - a[key]) / d, unit))
            if parts:
                out.append("- %s, N %d -> %d, per added session: %s" % (system, a["n"], b["n"], ", ".join(parts)))
    return out


def summary_md(points, run):
    cols = [("system", "system"), ("n", "N"), ("streams_holding", "holding"), ("fps_min", "fps min"),
            ("audio_gaps_gt60ms_total", "rx gaps>60ms"), ("audio_max_gap_ms", "rx max gap ms"),
            ("audio_seen_gaps_gt60ms_total", "rx gaps>60ms as Python saw them"),
            ("audio_s_per_s_min", "audio s/s min"), ("audio_s_per_s_max", "audio s/s max"),
            ("wire_audio_p99_ms_max", "wire audio p99 ms"), ("wire_audio_gaps_gt60ms_total", "wire gaps>60ms"),
            ("wire_video_frame_p99_ms_max", "wire video p99 ms"),
            ("sched_audio_late_gt20ms", "audio pushes >20 ms late"), ("push_audio_gt5ms", "audio pushes >5 ms long"),
            ("sched_video_late_gt20ms", "video pushes >20 ms late"), ("push_video_gt5ms", "video pushes >5 ms long"),
            ("cpu_server_pct", "server CPU %"),
            ("cpu_streamer_pct", "streamer CPU %"), ("cpu_renderer_pct", "renderer CPU %"),
            ("cpu_receiver_pct", "receiver CPU %"), ("pss_server_mb", "server PSS MB"),
            ("pss_streamer_mb", "streamer PSS MB"), ("bus_max_mb", "bus MB"),
            ("streamer_gc_pauses", "GC pauses"), ("streamer_gc_pause_max_ms", "GC max ms")]
    out = ["# Capacity benchmark", "",
           "%s, commit %s; %g s window after %g s warm-up, wire capture %g s, %dx%d@%d; %s CPUs. "
           "Holds: >= 29 fps, no audio gap > 60 ms, 1.000 +/- 0.01 s audio per s (docs/benchmarks/README.md)."
           % (run["date"], run["commit"], run["seconds"], run["warmup"], min(run["wire_seconds"], run["seconds"]),
              run["width"], run["height"], run["fps"], run["cpus"]), "",
           "| " + " | ".join(h for _, h in cols) + " |", "|" + "---|" * len(cols)]
    for p in points:
        holding = "%s/%s" % (p.get("streams_holding"), p.get("streams"))
        out.append("| " + " | ".join(holding if k == "streams_holding" else
                                     ("" if p.get(k) is None else str(p.get(k))) for k, _ in cols) + " |")
    lines = marginal_lines(points)
    if lines:
        out += ["", "Cost of each added session (difference between consecutive N, divided by the sessions added):", ""]
        out += lines
    return "\n".join(out) + "\n"


def read_points(path):
    def num(v):
        if v in ("", None):
            return None
        if v in ("True", "False"):
            return v == "True"
        try:
            return int(v)
        except ValueError:
            try:
                return float(v)
            except ValueError:
                return v
    with open(path) as f:
        return [{k: num(v) for k, v in r.items()} for r in csv.DictReader(f)]


# ---------------------------------------------------------------- main
def parse_args(argv):
    ap = argparse.ArgumentParser(prog="facecast bench capacity", description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", default="1,4,8", help="comma-separated N list (default 1,4,8)")
    ap.add_argument("--seconds", type=float, default=30, help="measurement window per point (default 30)")
    ap.add_argument("--warmup", type=float, default=5, help="seconds after all sessions have media (default 5)")
    ap.add_argument("--wire-seconds", type=float, default=20,
                    help="packet capture at the window's start, at most --seconds (default 20; 0: none)")
    ap.add_argument("--out", required=True, help="output folder (created; its CSVs and PNGs are replaced)")
    ap.add_argument("--width", type=int, default=512)
    ap.add_argument("--height", type=int, default=512)
    ap.add_argument("--fps", type=int, default=30)
    ap.add_argument("--seed-baseline", default=None,
                    help="the seed design's harness folder (default: ../shared/seed-baseline beside the repository)")
    ap.add_argument("--no-seed", action="store_true", help="measure Facecast only")
    ap.add_argument("--no-facecast", action="store_true", help="measure the seed design only")
    ap.add_argument("--receiver", choices=sorted(RECEIVERS), default="aiortc",
                    help="Facecast's receiver: aiortc (Python, as the seed harness's; default) or gst (webrtcbin)")
    ap.add_argument("--receiver-nice", type=int, default=0, metavar="N",
                    help="run the receiver at nice N (e.g. 19: it only gets the CPU the stack leaves; default 0)")
    ap.add_argument("--jvm-flag", action="append", default=[], help="extra flag for all three JVMs (repeatable)")
    ap.add_argument("--no-streamer-jvm-options", action="store_true",
                    help="leave out streamer/jvm.options (to measure the JVM's defaults)")
    ap.add_argument("--streamer-jvm-flag", action="append", default=[],
                    help="extra flag for the streamer's JVM (repeatable), e.g. --streamer-jvm-flag=-Xmx1g")
    ap.add_argument("--start-timeout", type=float, default=90, help="seconds for a process to start (default 90)")
    ap.add_argument("--keep-pcap", action="store_true", help="keep each point's capture in raw/")
    ap.add_argument("--plot-only", action="store_true", help="only redraw the plots and summary from --out's CSV")
    args = ap.parse_args(argv)
    try:
        args.ns = [int(x) for x in args.sessions.split(",") if x.strip()]
    except ValueError:
        ap.error("--sessions takes a comma-separated list of integers, e.g. 1,4,8")
    if not args.ns or min(args.ns) < 1:
        ap.error("--sessions needs at least one N >= 1")
    if args.seconds <= 0 or args.warmup < 0:
        ap.error("--seconds must be positive and --warmup not negative")
    env_flags = os.environ.get("FACECAST_BENCH_JVM_FLAGS")
    args.jvm_flags = ([f for f in env_flags.split("\n") if f] if env_flags else DEFAULT_JVM_FLAGS) + args.jvm_flag
    return args


def run_description(args):
    """What was run, where and with which flags: run.json beside the CSVs (summary.md's first line comes from it)."""
    try:
        commit = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"], capture_output=True,
                                text=True, timeout=10).stdout.strip() or "unknown"
    except OSError:
        commit = "unknown"
    return {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "commit": commit,
            "cpus": os.cpu_count(), "sessions": args.ns, "seconds": args.seconds, "warmup": args.warmup,
            "wire_seconds": args.wire_seconds, "width": args.width, "height": args.height, "fps": args.fps,
            "receiver": args.receiver, "receiver_nice": args.receiver_nice, "jvm_flags": args.jvm_flags, "streamer_jvm_flags": args.streamer_jvm_flag,
            "seed_baseline": args.seed_baseline, "systems": ([] if args.no_facecast else ["facecast"])
            + (["seed"] if args.seed_baseline else [])}


def check_tools(args):
    missing = []
    try:
        subprocess.run([PY, "-c", "import aiortc, av, numpy"], check=True, capture_output=True, timeout=60)
    except (subprocess.CalledProcessError, OSError):
        missing.append("python3-aiortc")
    if getattr(args, "receiver", "aiortc") == "gst":
        try:
            subprocess.run([PY, "-c", "import gi; gi.require_version('GstWebRTC', '1.0')"], check=True,
                           capture_output=True, timeout=60)
        except (subprocess.CalledProcessError, OSError):
            missing += ["python3-gst-1.0", "gir1.2-gst-plugins-bad-1.0", "gstreamer1.0-plugins-bad",
                        "gstreamer1.0-plugins-good", "gstreamer1.0-nice"]
    if not (shutil.which("dumpcap") or shutil.which("tshark")) and args.wire_seconds > 0:
        missing.append("tshark")
    if missing:
        raise SystemExit("capacity: missing %s: apt-get install -y %s (scripts/ensure-deps.sh bench)"
                         % (", ".join(missing), " ".join(missing)))


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    os.makedirs(args.out, exist_ok=True)
    cap_csv = os.path.join(args.out, "capacity.csv")
    if args.plot_only:
        import plots
        points = read_points(cap_csv)
        try:
            with open(os.path.join(args.out, "run.json")) as f:
                run = json.load(f)
        except OSError:
            args.seed_baseline = None
            run = run_description(args)
        plots.draw_all(points, args.out)
        with open(os.path.join(args.out, "summary.md"), "w") as f:
            f.write(summary_md(points, run))
        return 0
    check_tools(args)
    args.seed_baseline = find_seed(args)
    run = run_description(args)
    with open(os.path.join(args.out, "run.json"), "w") as f:
        json.dump(run, f, indent=1)

    def on_signal(signum, _frame):
        raise KeyboardInterrupt("signal %d" % signum)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    points, streams, failed = [], [], []
    raw_root = os.path.join(args.out, "raw")
    try:
        for n in args.ns:
            systems = ([] if args.no_facecast else ["facecast"]) + (["seed"] if args.seed_baseline else [])
            for system in systems:
                raw = os.path.join(raw_root, "%s-n%d" % (system, n))
                shutil.rmtree(raw, ignore_errors=True)
                os.makedirs(raw)
                log("%s N=%d: starting (%.0f s window)" % (system, n, args.seconds))
                try:
                    if system == "facecast":
                        point, rows = run_facecast(n, args, raw)
                    else:
                        point, rows = run_seed(n, args, raw, free_port())
                except BenchError as e:
                    log("%s N=%d FAILED: %s" % (system, n, e))
                    failed.append("%s N=%d" % (system, n))
                    continue
                except (OSError, ValueError, KeyError, subprocess.SubprocessError) as e:  # e.g. an HTTP error
                    log("%s N=%d FAILED (%s): %s" % (system, n, type(e).__name__, e))
                    traceback.print_exc()
                    failed.append("%s N=%d" % (system, n))
                    continue
                per_session(point)
                points.append(point)
                streams.extend(rows)
                write_csv(cap_csv, points, POINT_COLUMNS)  # after every point: a failure later keeps these
                write_csv(os.path.join(args.out, "streams.csv"), streams, STREAM_COLUMNS)
                log("%s N=%d: %d/%d streams hold; fps min %s, receiver gaps>60ms %s, audio s/s %s..%s, "
                    "wire audio p99 %s ms, server CPU %s %%, server PSS %s MB"
                    % (system, n, point["streams_holding"], point["streams"], point["fps_min"],
                       point["audio_gaps_gt60ms_total"], point["audio_s_per_s_min"], point["audio_s_per_s_max"],
                       point.get("wire_audio_p99_ms_max"), point["cpu_server_pct"], point["pss_server_mb"]))
    except KeyboardInterrupt as e:
        log("interrupted (%s): everything started was stopped; the points measured so far are in %s" % (e, args.out))
        return 130
    if points:
        with open(os.path.join(args.out, "summary.md"), "w") as f:
            f.write(summary_md(points, run))
        try:
            import plots
            plots.draw_all(points, args.out)
        except ImportError as e:
            log("no plots (%s): apt-get install -y python3-matplotlib; then --plot-only --out %s" % (e, args.out))
        sys.stdout.write(summary_md(points, run))
    log("results in %s (capacity.csv, streams.csv, summary.md, capacity-*.png; raw/ per point)" % args.out)
    if failed:
        log("not measured: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
