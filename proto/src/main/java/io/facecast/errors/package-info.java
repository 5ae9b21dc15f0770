/**
 * One error vocabulary for all three processes: {@link io.facecast.errors.FacecastException} carries an
 * {@link io.facecast.errors.ErrorCode}; {@link io.facecast.errors.Errors} is the only place a failure becomes a gRPC
 * status (and, through {@code ErrorCode.httpStatus()}, an HTTP status). Unexpected failures never reach a client in
 * detail: INTERNAL with "internal error (see &lt;process&gt; log)", the stack trace in that log. Shared text rules
 * ({@link io.facecast.errors.TextRules}) live here too, so signaling and the renderer count the same way.
 */
package io.facecast.errors;
