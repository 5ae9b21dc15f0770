/**
 * Receiver-side measurement of lip-sync with sync markers (a session spoken with {@code sync_markers}): the renderer
 * turns the mouth pure white for one frame and replaces the audio with a 20 ms 1 kHz tone burst starting at the same
 * media time, once per second of the utterance. Here we find both in what a receiving peer actually delivered and
 * pair them.
 *
 * <h2>What the times mean</h2>
 * Both sides are timed where a viewer would perceive them: when libwebrtc hands media to the output.
 * <ul>
 * <li><b>Video</b>: a decoded frame reaches the track sink at its render time, i.e. after the jitter buffer and after
 *     the receive-side A/V synchronisation (which delays whichever stream is ahead, using the RTCP sender reports).
 *     The flash time is that frame's arrival.</li>
 * <li><b>Audio</b>: the sink sees 10 ms chunks when the audio device pulls them for playout, so a chunk's arrival is
 *     the playout instant of its first sample, and sample i of the chunk plays {@code i/rate} later. The pulling
 *     thread is paced at 10 ms but may be woken late, never early, so the playout clock of chunk c is taken as the
 *     lower envelope {@code min over c' near c of arrival(c') - (c'-c)*10 ms} ({@link AudioPlayoutClock}). The tone
 *     onset is found to a fraction of a millisecond ({@link ToneBurstDetector}).</li>
 * </ul>
 * Skew = audio onset - video flash: positive means the sound comes late. Broadcast practice tolerates roughly
 * +60/-40 ms; we hold ourselves to +-40 ms.
 */
package io.facecast.client.analysis;
