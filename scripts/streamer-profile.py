#!/usr/bin/env python3
"""Prints what scripts/streamer-profile.sh collected: the streamer's CPU per thread group (utime + stime from /proc,
context switches) over the window, and from the JFR recording the Java methods the samples landed in (per thread
group, top frame and the first Facecast frame) and the allocation sites (sampled bytes by top frame)."""
import argparse
import collections
import json
import re
import subprocess
import sys

TICK = 100.0  # USER_HZ


def group(name):
    return re.sub(r"[0-9]+", "#", name)


def read_threads(path):
    out = {}
    for line in open(path):
        tid, name, ut, st, switches = line.strip().split("|")
        vol, nonvol = switches.split()
        out[tid] = (name, int(ut), int(st), int(vol), int(nonvol))
    return out


def jfr_events(jfr, events):
    text = subprocess.run(["jfr", "print", "--json", "--stack-depth", "12", "--events", events, jfr],
                          check=True, capture_output=True, text=True).stdout
    return json.loads(text)["recording"]["events"]


def frame_name(f):
    m = f["method"]
    return m["type"]["name"].split(".")[-1] + "." + m["name"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, required=True)
    ap.add_argument("--elapsed", type=float, required=True)
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("jfr")
    a = ap.parse_args()
    t0, t1 = read_threads(a.before), read_threads(a.after)
    groups = collections.defaultdict(lambda: [0, 0, 0, 0, 0])
    for tid, (name, ut, st, vol, nonvol) in t1.items():
        b = t0.get(tid, (name, 0, 0, 0, 0))
        g = groups[group(name)]
        g[0] += ut - b[1]
        g[1] += st - b[2]
        g[2] += vol - b[3]
        g[3] += nonvol - b[4]
        g[4] += 1
    total = sum(g[0] + g[1] for g in groups.values())
    n, el = a.sessions, a.elapsed
    print(f"== streamer threads over {el:.1f} s, {n} sessions: % of one core (user + system), per session, "
          f"context switches per s (voluntary / preempted)")
    print(f"  {'thread group':24} {'n':>3} {'total %':>8} {'user %':>7} {'sys %':>6} {'per sess':>8} "
          f"{'vol/s':>8} {'inv/s':>7}")
    for name, g in sorted(groups.items(), key=lambda kv: -(kv[1][0] + kv[1][1])):
        cpu = g[0] + g[1]
        if cpu == 0 and g[2] == 0:
            continue
        print(f"  {name:24} {g[4]:>3} {100 * cpu / TICK / el:8.2f} {100 * g[0] / TICK / el:7.2f} "
              f"{100 * g[1] / TICK / el:6.2f} {100 * cpu / TICK / el / n:8.3f} {g[2] / el:8.0f} {g[3] / el:7.0f}")
    print(f"  {'all':24} {'':>3} {100 * total / TICK / el:8.2f} {'':>7} {'':>6} {100 * total / TICK / el / n:8.3f}")

    samples = jfr_events(a.jfr, "jdk.ExecutionSample")
    by_thread = collections.Counter()
    top = collections.defaultdict(collections.Counter)
    ours = collections.defaultdict(collections.Counter)
    for e in samples:
        v = e["values"]
        thread = group((v.get("sampledThread") or {}).get("javaName") or "?")
        frames = (v.get("stackTrace") or {}).get("frames") or []
        if not frames:
            continue
        by_thread[thread] += 1
        top[thread][frame_name(frames[0])] += 1
        mine = next((frame_name(f) for f in frames if f["method"]["type"]["name"].startswith("io.facecast")), "-")
        ours[thread][mine] += 1
    total = sum(by_thread.values())
    print(f"\n== JFR method samples (threads running Java code; native code such as the encoders is not "
          f"sampled here): {total}")
    for thread, count in by_thread.most_common(8):
        print(f"  {thread}: {count} samples ({100 * count / max(total, 1):.1f} %)")
        for name, c in top[thread].most_common(8):
            print(f"      top frame  {100 * c / count:5.1f} %  {name}")
        for name, c in ours[thread].most_common(6):
            print(f"      facecast   {100 * c / count:5.1f} %  {name}")

    native = jfr_events(a.jfr, "jdk.NativeMethodSample")
    nat = collections.Counter()
    for e in native:
        v = e["values"]
        frames = (v.get("stackTrace") or {}).get("frames") or []
        thread = group((v.get("sampledThread") or {}).get("javaName") or "?")
        if frames:
            nat[thread + "  " + frame_name(frames[0])] += 1
    print(f"\n== JFR native-method samples (a thread inside a native call, running or blocked): {sum(nat.values())}")
    for name, c in nat.most_common(10):
        print(f"  {c:6d}  {name}")

    alloc = jfr_events(a.jfr, "jdk.ObjectAllocationSample")
    sites = collections.Counter()
    for e in alloc:
        v = e["values"]
        frames = (v.get("stackTrace") or {}).get("frames") or []
        cls = (v.get("objectClass") or {}).get("name", "?")
        where = " <- ".join(frame_name(f) for f in frames[:3]) if frames else "?"
        sites[cls + " @ " + where] += v.get("weight", 0)
    total = sum(sites.values())
    print(f"\n== JFR allocation samples: {total / 2**20 / el:.2f} MiB/s sampled weight")
    for name, w in sites.most_common(15):
        print(f"  {100 * w / max(total, 1):5.1f} %  {w / 2**20 / el:7.3f} MiB/s  {name}")


if __name__ == "__main__":
    sys.exit(main())
