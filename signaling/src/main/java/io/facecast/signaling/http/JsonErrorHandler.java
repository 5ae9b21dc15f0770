package io.facecast.signaling.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the listener answers when no handler of ours could: a request it could not parse (bad request line, an
 * invalid %-escape in the path, a URI or headers over {@link HttpLimits#MAX_HEAD_BYTES}, an unknown HTTP version) or
 * a handler that failed unexpectedly. The body is the project's one error body, {@code {"code", "message"}}, for every
 * method (Jetty's own page is HTML, and only for GET, POST and HEAD); a server error never shows its cause.
 */
final class JsonErrorHandler extends ErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(JsonErrorHandler.class);
    private static final int MAX_REASON_CHARS = 200;

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String reason = (String) request.getAttribute(ERROR_MESSAGE);
        Throwable cause = (Throwable) request.getAttribute(ERROR_EXCEPTION);
        if (cause instanceof HttpException http) {
            status = http.getCode();
            if (reason == null) {
                reason = http.getReason();
            }
        }
        if (status < 400) {
            status = 500;
        }
        if (status >= 500 && status != 505) {
            log.warn("HTTP {} {} failed: {}", request.getMethod(), request.getHttpURI().getPath(), String.valueOf(cause), cause);
        } else {
            log.info("HTTP request refused by the listener: {} {}", status, reason);
        }
        response.setStatus(status);
        response.getHeaders().put("Content-Type", "application/json");
        response.getHeaders().put("Cache-Control", "no-store");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        byte[] body = ProtoJson.error(code(status), message(status, reason)).getBytes(StandardCharsets.UTF_8);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    static String code(int status) {
        return switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 408 -> "REQUEST_TIMEOUT";
            case 411 -> "LENGTH_REQUIRED";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 414 -> "URI_TOO_LONG";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            case 431 -> "REQUEST_HEADER_FIELDS_TOO_LARGE";
            case 501 -> "NOT_IMPLEMENTED";
            case 503 -> "UNAVAILABLE";
            case 505 -> "HTTP_VERSION_NOT_SUPPORTED";
            default -> status >= 500 ? "INTERNAL" : "HTTP_" + status;
        };
    }

    static String message(int status, String reason) {
        String said = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason.strip();
        if (said.length() > MAX_REASON_CHARS) {
            said = said.substring(0, MAX_REASON_CHARS) + "...";
        }
        return switch (status) {
            case 400 -> "malformed request (" + said + "): check the request line, the path's %-escapes (a '%' is"
                    + " written %25) and the headers";
            case 414 -> "the request URI is too long: the request line and headers may have at most "
                    + HttpLimits.MAX_HEAD_BYTES + " bytes; ids and query values are short";
            case 431 -> "the request headers are too large: at most " + HttpLimits.MAX_HEAD_BYTES
                    + " bytes with the request line";
            case 505 -> "HTTP version not supported (" + said + "); use HTTP/1.1";
            default -> status >= 500 ? HttpStatuses.INTERNAL_MESSAGE : said;
        };
    }
}
