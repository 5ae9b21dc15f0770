/**
 * Operations support shared by the three processes: one Micrometer {@code PrometheusMeterRegistry} per process
 * ({@link io.facecast.ops.Metrics}), served at {@code /metrics}, plus {@code /healthz} and {@code /readyz}
 * ({@link io.facecast.ops.OpsServer}; signaling serves {@code /metrics} on its own HTTP port).
 *
 * <p>Rules for every meter:
 * <ul>
 *   <li>Names {@code facecast.<process>.<what>}; Micrometer writes them as Prometheus names with the unit and
 *       {@code _total} suffixes ({@code _seconds}, {@code _bytes}). {@code promtool check metrics} must accept the
 *       exposition (tests run it).</li>
 *   <li>Latencies are histograms with {@link io.facecast.ops.Metrics#LATENCY_BUCKETS} (or the pacing buckets), so
 *       percentiles aggregate across nodes.</li>
 *   <li>Labels have bounded cardinality: process, stage, media kind, voice backend, state. Never a session id or an
 *       utterance id: per-session detail goes to the session's Stats events and to the per-utterance log line
 *       ({@link io.facecast.ops.UtteranceLog}).</li>
 *   <li>Hot paths (every 10 ms chunk, every frame) record into meters registered up front: no lookup, no
 *       allocation, nothing that blocks.</li>
 * </ul>
 */
package io.facecast.ops;
