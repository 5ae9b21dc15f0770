/**
 * The renderer's sessions: open (publish idle material), speak (queue an utterance), interrupt, close, on a shared
 * pool of render threads ({@code --render-threads}).
 *
 * <h2>Utterance ids</h2>
 * Utterance ids are signaling's: per session, increasing, assigned when Speak arrives and kept with the session
 * (not in the renderer), so they survive a renderer restart. They are the segment ids on the bus and the ids in the
 * client's events; the streamer plays an utterance only if its id is above every one it has already started
 * ({@code SessionPlayer}: a repeated or lower SEGMENT_START is ignored). No epoch or instance bits are mixed in: an
 * interrupt ("discard through U") and the events compare signaling's ids directly.
 *
 * <h2>Re-opening after a restart (issue 9)</h2>
 * A renderer killed and restarted loses its sessions; the streamer keeps streaming idle video and silence, and
 * signaling calls OpenSession again for the node's live sessions. OpenSession of a session this instance does not
 * have, on a queue that still holds records of it (an earlier instance's), is a re-open:
 * <ul>
 *   <li>The queue is read once from its oldest remaining cycle (the streamer deletes a cycle only after reading past
 *       it). {@code RendererOpenResponse.last_utterance_id} returns the highest utterance id found (0 for a fresh
 *       session): a signaling that lost its counter continues above it.</li>
 *   <li>Speak / SpeakAudio with an id not above that, or above the utterance of the streamer's latest playback
 *       report for the session, is FAILED_PRECONDITION with the number to continue from: the streamer would
 *       silently ignore it.</li>
 *   <li>The idle material (every IDLE_BASE loop frame and the IDLE_OVERLAY of the session's frame size) is published
 *       again only if the queue does not hold all of it: what the queue holds the streamer has read or will read.
 *       A cycle already deleted was read, but the scan cannot tell that from "never written", so such a session
 *       gets the idle material again (harmless: the streamer replaces its base with the same frames).</li>
 *   <li>An utterance the killed instance left without SEGMENT_END is finished by the streamer as it already does
 *       for a silent renderer (its stall limit, or the next SEGMENT_START).</li>
 * </ul>
 *
 * <h2>Drain</h2>
 * After {@link io.facecast.renderer.session.RenderSessions#drain()} OpenSession is UNAVAILABLE "renderer is
 * draining"; open sessions keep Speak, Interrupt and Close until signaling has closed them all (or the process's
 * drain timeout passes).
 */
package io.facecast.renderer.session;
