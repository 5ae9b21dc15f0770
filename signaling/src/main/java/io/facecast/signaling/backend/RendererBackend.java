package io.facecast.signaling.backend;

import io.facecast.internal.v1.RendererOpenRequest;
import io.facecast.internal.v1.RendererOpenResponse;

/**
 * The renderer's control API as signaling uses it. Failures arrive as {@link io.grpc.StatusRuntimeException} already
 * translated for the client (see {@link BackendCall}).
 */
public interface RendererBackend {

  /** What to call the renderer in messages, e.g. "renderer at 127.0.0.1:50061". */
  String describe();

  RendererOpenResponse openSession(RendererOpenRequest request);

  void speak(String sessionId, long utteranceId, String text, boolean syncMarkers);

  void interrupt(String sessionId, long discardThroughUtteranceId);

  void closeSession(String sessionId);
}
