/**
 * The A/V sync scheduler: turns a session's bus records into audio and video pushed at their presentation times,
 * from one clock, so the mouth matches the voice at every moment for hours. (The design it replaces paced audio and
 * video in two independent sleep loops and drifted by seconds.)
 *
 * <h2>Timeline rules</h2>
 * <ul>
 * <li><b>One clock.</b> A streamer has one {@link io.facecast.streamer.schedule.MediaClock} and one
 *     {@link io.facecast.streamer.schedule.Waiter}; real time enters only through
 *     {@link io.facecast.streamer.schedule.RealTimeClock}. Tests use
 *     {@link io.facecast.streamer.schedule.VirtualClock} and step the same scheduler with
 *     {@code runUntil}.</li>
 * <li><b>Audio samples are the timeline.</b> A session's origin T0 is when it was opened. Audio chunk n (10 ms,
 *     {@code rate/100} samples, global samples {@code [n*rate/100, (n+1)*rate/100)}) is due at
 *     {@code T0 + n*10 ms}; video frame k is due at {@code T0 + floor(k*1e9/fps)} ns and begins at global sample
 *     {@code floor(k*rate/fps)}. Both are computed from the index every time: nothing accumulates, nothing
 *     drifts. fps is 24, 25 or 30; the rate 16, 24 or 48 kHz, mono.</li>
 * <li><b>Idle.</b> Before, between and after utterances frames are the idle base with a blink (the eyes-closed
 *     overlay for 4 frames, 3 to 5 s apart, a function of the frame index and a per-session seed) and audio is
 *     silence. If the idle base has not arrived, frames are mid-grey: never a stall, never black.</li>
 * <li><b>Idle loop.</b> The idle base may be a loop of N frames ({@code IdleBase} index 0..N-1 of loop length N,
 *     at most 64), loop frame i held for h(i) video frames ({@code IdleBase.hold}, 1..255): with period {@code P = h(0)+...+h(N-1)}, global frame k is laid on the loop
 *     frame i with {@code h(0)+...+h(i-1) <= k mod P < h(0)+...+h(i)} (with all holds 1: {@code k mod N}), whether
 *     idle or speaking, so the loop runs on at the session fps under speech and blink overlays, a function of the
 *     frame index alone. A loop frame not yet arrived counts as held 1 until it does. A held frame repeats the last composed frame (the loop pauses with the stall). Loop frames not
 *     yet arrived show frame 0 (or, until it arrives, the first that did). N = 1 is the single idle base.</li>
 * <li><b>Segment start.</b> An utterance starts at a frame boundary k0 (the next frame not yet decided, whose first
 *     sample {@code S0 = floor(k0*rate/fps)} goes into a chunk not yet pushed) once it is startable: its SEGMENT_END
 *     arrived, or it holds at least the start lead (default 300 ms) of both audio and video. Segment frame j then
 *     plays as global frame {@code k0+j} and segment sample i as global sample {@code S0+i}: joins are
 *     sample-accurate, without gap, overlap, repeated or skipped audio (a chunk may carry the tail of silence and
 *     the head of speech). Samples after the last one up to the end of the last frame are silence. After the
 *     last frame idle resumes, and the next startable utterance may start at the very next frame.</li>
 * <li><b>Renderer late.</b> When the next frame of a playing segment, or its audio up to the end of that frame, is
 *     missing and SEGMENT_END has not arrived, the frame is held (the last composed frame repeats, its span is
 *     silent) and the rest of the segment moves one whole frame later, audio and video together: they stay
 *     aligned and no sample is repeated or skipped. Stalls and held frames are counted. A segment starved for
 *     {@code maxStallMillis} is finished with what arrived, so a dead renderer cannot freeze the avatar. A new
 *     SEGMENT_START likewise finishes an earlier segment left without SEGMENT_END.</li>
 * <li><b>Renderer early.</b> Nothing is dropped; {@code bufferedMillis} tells how much media beyond the play
 *     position a session holds and {@code hasRoom} turns false past {@code maxLookAheadMillis} (default 500 ms), for
 *     the bus reader to apply backpressure.</li>
 * <li><b>Interrupt</b> (discard through utterance id U): from the next 10 ms chunk the audio of utterances
 *     {@code <= U} is silence, from the next frame the video is idle (speech is off the wire within a frame);
 *     queued ones are dropped and their records still arriving are ignored; the next utterance (id > U) plays
 *     normally. The listener hears {@code interrupted} with the position reached, and the call returns the cut
 *     utterance (0 if none was on air).</li>
 * <li><b>Events</b> fire when media actually went out: {@code speechStarted} when the first frame of an utterance
 *     is pushed, {@code speechFinished} when its last is, with media times {@code floor(k*1000/fps)} ms.</li>
 * <li><b>Close</b> drops the session's state; nothing more is pushed to its sink.</li>
 * <li><b>Test audio delay</b> ({@code SchedulerConfig.testAudioDelayMillis}, the streamer's
 *     {@code --test-audio-delay-ms}, 0 in service): a deliberate fault for checking lip-sync meters. Chunk n then
 *     carries global samples from {@code n*rate/100 - D} instead of {@code n*rate/100}: the whole audio timeline
 *     sounds D ms after its video, pushed on the same 10 ms grid (the first D ms are silence). Every rule above
 *     holds with "the chunk's samples" read that way; an interrupt silences from the next chunk as always.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * One scheduler thread drives all sessions of a streamer and always services the earliest due item across them,
 * composing each frame (base copy plus overlays into one reusable buffer) right at its due time. Every other thread
 * only posts to its inbox. Sinks and listeners are called on the scheduler thread and must return promptly.
 */
package io.facecast.streamer.schedule;
