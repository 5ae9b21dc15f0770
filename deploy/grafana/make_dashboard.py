#!/usr/bin/env python3
"""Writes deploy/grafana/facecast.json (the Grafana dashboard) from the panel list below: edit here, run, commit both."""
import json
import os

DS = {"type": "prometheus", "uid": "${datasource}"}
panels = []
y = 0


def row(title):
    global y
    panels.append({"type": "row", "title": title, "collapsed": False, "gridPos": {"h": 1, "w": 24, "x": 0, "y": y},
                   "id": len(panels) + 1, "panels": []})
    y += 1


def ts(title, exprs, unit="short", w=8, h=8, kind="timeseries", desc=""):
    global y
    x = sum(p["gridPos"]["w"] for p in panels if p["gridPos"]["y"] == y and p["type"] != "row")
    if x + w > 24:
        y += h
        x = 0
    panels.append({
        "type": kind, "title": title, "description": desc, "datasource": DS, "id": len(panels) + 1,
        "gridPos": {"h": h, "w": w, "x": x, "y": y},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "options": {"legend": {"displayMode": "list", "placement": "bottom"}} if kind == "timeseries" else {},
        "targets": [{"datasource": DS, "expr": e, "legendFormat": l, "refId": chr(65 + i)}
                    for i, (e, l) in enumerate(exprs)]})


def end_row():
    global y
    y = max(p["gridPos"]["y"] + p["gridPos"]["h"] for p in panels)


def q(quantile, metric, by="le", sel=""):
    return f'histogram_quantile({quantile}, sum by ({by}) (rate({metric}_bucket{sel}[$__rate_interval])))'


row("Fleet overview")
ts("Sessions by state", [('sum by (state) (facecast_signaling_sessions)', "{{state}}")], w=6, kind="stat")
ts("Streamers registered", [("sum(facecast_signaling_streamers)", "streamers")], w=3, kind="stat")
ts("Stalest heartbeat", [("max(facecast_signaling_streamer_heartbeat_age_max_seconds)", "age")], unit="s", w=3, kind="stat")
ts("Placement decisions", [("sum by (outcome) (rate(facecast_signaling_placements_total[$__rate_interval]))", "{{outcome}}")],
   unit="ops", w=6)
ts("Lowest session fps per streamer", [("facecast_streamer_session_fps_min", "{{instance}}")], unit="fps", w=6)
end_row()
ts("Speak -> first speech frame on the wire", [(q(0.5, "facecast_speak_first_frame_seconds"), "p50"),
                                                (q(0.95, "facecast_speak_first_frame_seconds"), "p95")], unit="s")
ts("Interrupt -> silence", [(q(0.95, "facecast_interrupt_silence_seconds"), "signaling: request -> confirmed p95"),
                            (q(0.95, "facecast_streamer_interrupt_silence_seconds"), "streamer: -> silent chunk p95")], unit="s")
ts("Where an utterance's time goes (p50 per stage)",
   [(q(0.5, "facecast_utterance_stage_seconds", "le, stage, job"), "{{job}} {{stage}}")], unit="s",
   desc="Each process measures from the earliest moment it knows: signaling from Speak, the renderer from its speak call, the streamer from the bus append.")
end_row()

row("One node ($instance)")
ts("Pacing error p99 (as pushed)", [(q(0.99, "facecast_streamer_pacing_error_seconds", "le, media", '{instance=~"$instance"}'), "{{media}}")], unit="s")
ts("Late / skipped / held frames", [
    ('rate(facecast_streamer_video_frames_skipped_total{instance=~"$instance"}[$__rate_interval])', "skipped"),
    ('rate(facecast_streamer_stalled_frames_total{instance=~"$instance"}[$__rate_interval])', "held (renderer late)"),
    ('rate(facecast_streamer_stalls_total{instance=~"$instance"}[$__rate_interval])', "audio underruns")], unit="ops")
ts("Delivered fps per session (distribution)", [
    (q(0.5, "facecast_streamer_session_fps", "le", '{instance=~"$instance"}'), "p50"),
    ('facecast_streamer_session_fps_min{instance=~"$instance"}', "min")], unit="fps")
end_row()
ts("Bus append -> streamer read", [(q(0.5, "facecast_streamer_bus_read_seconds", "le", '{instance=~"$instance"}'), "p50"),
                                   (q(0.99, "facecast_streamer_bus_read_seconds", "le", '{instance=~"$instance"}'), "p99")], unit="s")
ts("Look-ahead buffered per session", [(q(0.5, "facecast_streamer_lookahead_buffered_seconds", "le", '{instance=~"$instance"}'), "p50"),
                                       (q(0.05, "facecast_streamer_lookahead_buffered_seconds", "le", '{instance=~"$instance"}'), "p5")], unit="s")
ts("Bus directory", [('facecast_streamer_bus_directory_bytes{instance=~"$instance"}', "bytes")], unit="bytes")
end_row()
ts("WebRTC outbound", [('sum by (media) (rate(facecast_webrtc_outbound_bytes_total{instance=~"$instance"}[$__rate_interval]))', "{{media}}")], unit="Bps")
ts("RTCP feedback and retransmits", [
    ('sum by (type) (rate(facecast_webrtc_outbound_feedback_total{instance=~"$instance"}[$__rate_interval]))', "{{type}}"),
    ('rate(facecast_webrtc_outbound_retransmitted_packets_total{instance=~"$instance"}[$__rate_interval])', "retransmits")], unit="ops")
ts("Encoder time per frame", [('rate(facecast_webrtc_encode_seconds_total{instance=~"$instance"}[$__rate_interval]) / rate(facecast_webrtc_outbound_frames_encoded_total{instance=~"$instance"}[$__rate_interval])', "per frame")], unit="s")
end_row()
ts("Connection states entered / ICE failures", [
    ('sum by (state) (rate(facecast_webrtc_connection_states_total{instance=~"$instance"}[$__rate_interval]))', "{{state}}"),
    ('rate(facecast_webrtc_ice_failures_total{instance=~"$instance"}[$__rate_interval])', "ICE failures")], unit="ops")
ts("Render speed (media s per wall s) by backend", [
    ("sum by (backend) (rate(facecast_renderer_media_seconds_total[$__rate_interval])) / sum by (backend) (rate(facecast_renderer_render_seconds_total[$__rate_interval]))", "{{backend}}")],
   unit="x")
ts("TTS latency per sentence p95", [(q(0.95, "facecast_renderer_tts_sentence_seconds", "le, backend"), "{{backend}}")], unit="s")
end_row()
ts("CPU", [('process_cpu_usage{instance=~"$instance"}', "{{job}}")], unit="percentunit")
ts("Resident memory / heap", [('process_resident_memory_bytes{instance=~"$instance"}', "RSS {{job}}"),
                              ('sum by (job) (jvm_memory_used_bytes{area="heap", instance=~"$instance"})', "heap {{job}}")], unit="bytes")
ts("GC pauses / threads", [('sum by (job) (rate(jvm_gc_pause_seconds_sum{instance=~"$instance"}[$__rate_interval]))', "GC s/s {{job}}"),
                           ('jvm_threads_live_threads{instance=~"$instance"}', "threads {{job}}")])
end_row()
ts("Event watchers and queues (signaling)", [("sum(facecast_signaling_event_watchers)", "watchers"),
                                            ("sum(facecast_signaling_event_queue_depth)", "queued"),
                                            ("sum(rate(facecast_signaling_event_consumers_dropped_total[$__rate_interval]))", "dropped/s")])
end_row()

row("One session")
panels.append({"type": "text", "title": "One session's stats", "id": len(panels) + 1,
               "gridPos": {"h": 6, "w": 24, "x": 0, "y": y},
               "options": {"mode": "markdown", "content":
                   "Metrics carry no session id (bounded cardinality). For one session: its `Stats` events "
                   "(WatchEvents / `GET /api/sessions/{id}/events`: fps, pacing p99, frames and chunks sent), the "
                   "per-utterance JSON lines on logger `facecast.utterance` (`session_id`, `stages_ms`) in each "
                   "process's log, and `./facecast meter --whep URL` for what a player sees (first frame, fps, A/V "
                   "offset, speak -> speech, interrupt -> silence)."}})

dashboard = {
    "title": "Facecast", "uid": "facecast", "schemaVersion": 39, "version": 1, "editable": True,
    "time": {"from": "now-30m", "to": "now"}, "refresh": "10s", "tags": ["facecast"],
    "templating": {"list": [
        {"type": "datasource", "name": "datasource", "label": "Prometheus", "query": "prometheus"},
        {"type": "query", "name": "instance", "label": "node", "datasource": DS, "refresh": 2, "includeAll": True,
         "multi": True, "query": {"query": "label_values(up{job=~\"facecast-.*\"}, instance)", "refId": "instance"},
         "definition": "label_values(up{job=~\"facecast-.*\"}, instance)"}]},
    "panels": panels,
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "facecast.json"), "w") as f:
    json.dump(dashboard, f, indent=2)
    f.write("\n")
