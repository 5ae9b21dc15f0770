package io.facecast.signaling.http;

/** A request the HTTP layer itself refuses (wrong method, media type, token...), with the status and message to send. */
final class HttpProblem extends RuntimeException {

    final int status;
    final String code;

    HttpProblem(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static HttpProblem badRequest(String message) {
        return new HttpProblem(400, "INVALID_ARGUMENT", message);
    }

    static HttpProblem notFound(String message) {
        return new HttpProblem(404, "NOT_FOUND", message);
    }

    static HttpProblem methodNotAllowed(String method, String allowed) {
        return new HttpProblem(405, "METHOD_NOT_ALLOWED", method + " is not allowed here; use " + allowed);
    }

    static HttpProblem unsupportedMediaType(String got, String expected) {
        return new HttpProblem(415, "UNSUPPORTED_MEDIA_TYPE",
                "Content-Type '" + (got == null ? "" : got) + "' is not accepted; send " + expected);
    }
}
