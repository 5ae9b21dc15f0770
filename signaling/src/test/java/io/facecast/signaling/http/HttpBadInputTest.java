package io.facecast.signaling.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.signaling.support.SignalingHarness;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad input over real HTTP sockets: a precise status with the JSON error body, and slow clients are cut. */
class HttpBadInputTest {

    static final String OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\na=fake-ok\r\na=ice-ufrag:abcd\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=recvonly\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=recvonly\r\n";

    SignalingHarness h;
    HttpClient client = HttpClient.newHttpClient();
    String base;
    int port;

    @BeforeEach
    void start() throws Exception {
        h = new SignalingHarness(true, null); // real sockets: signaling's own HTTP listener, auth on
        h.addStreamer("s1", 4);
        base = h.httpBase().replaceAll("/$", "");
        port = URI.create(base).getPort();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.header("Authorization", "Bearer " + h.apiKey.value()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void assertJsonError(HttpResponse<String> r, int status, String code, String messagePart) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""), r.body());
        assertTrue(r.body().startsWith("{\"code\":\"" + code + "\",\"message\":"), r.body());
        assertTrue(r.body().contains(messagePart), r.body());
    }

    @Test
    void whepPatchWithSomethingThatIsNotAFragmentIs400WithTheJsonBody() throws Exception {
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(base + "/whep"))
                .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(OFFER)));
        assertEquals(201, created.statusCode(), created.body());
        String resource = created.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> junk = send(HttpRequest.newBuilder(URI.create(base + resource))
                .header("Content-Type", "application/trickle-ice-sdpfrag").method("PATCH", HttpRequest.BodyPublishers.ofString("zzzz")));
        assertJsonError(junk, 400, "INVALID_ARGUMENT", "not an SDP line");
        String many = "a=mid:0\r\n" + "a=candidate:1 1 udp 1 192.0.2.1 1 typ host\r\n".repeat(TrickleFragment.MAX_CANDIDATES + 1);
        HttpResponse<String> tooMany = send(HttpRequest.newBuilder(URI.create(base + resource))
                .header("Content-Type", "application/trickle-ice-sdpfrag").method("PATCH", HttpRequest.BodyPublishers.ofString(many)));
        assertJsonError(tooMany, 400, "INVALID_ARGUMENT", "several");
        assertEquals(0, h.streamers.get("s1").candidates.size(), "nothing of a refused PATCH reached the streamer");
        // WHEP errors use the same body as the JSON API.
        assertJsonError(send(HttpRequest.newBuilder(URI.create(base + "/whep")).header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString("hello"))), 400, "INVALID_ARGUMENT", "v=0");
    }

    @Test
    void anAnswerSentBeforeTheBodyArrivedClosesTheConnectionAndOneAfterItKeepsIt() throws Exception {
        // No credential: 401 at once, while the declared body has not been sent. The client must be told the
        // connection ends, or it would send its next request on a connection Jetty is about to close.
        String early = raw("POST /api/sessions HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2000\r\n\r\n{");
        assertTrue(early.startsWith("HTTP/1.1 401"), early);
        assertTrue(early.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close\r\n"), early);
        // The same refusal of a request whose body came whole keeps the connection.
        String whole = raw("POST /api/sessions HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2\r\n\r\n{}");
        assertTrue(whole.startsWith("HTTP/1.1 401"), whole);
        assertTrue(!whole.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), whole);
    }

    @Test
    void aTenMegabyteOfferIs413WithTheJsonBody() throws Exception {
        String huge = OFFER + "a=x\r\n".repeat(2_000_000);
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/whep"))
                .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(huge)));
        assertJsonError(r, 413, "PAYLOAD_TOO_LARGE", "a few kilobytes");
        assertEquals(0, h.sessions().liveSessionCount(), "no session was made for it");
    }

    /**
     * Requests the listener itself refuses, before any route runs: an invalid %-escape in the path, a request line that
     * is not one, a URI or headers over the head limit, an unknown HTTP version. Each gets a precise status and the
     * project's JSON error body on a real socket, with no stack trace; nothing else is disturbed.
     */
    @Test
    void malformedRequestsGetAPreciseStatusAndTheJsonBody() throws Exception {
        String auth = "Authorization: Bearer " + h.apiKey.value() + "\r\n";
        for (String path : new String[] {"/api/sessions/%zz", "/api/sessions/%E0%A4%A", "/whep/resource/%", "/%"}) {
            assertRawJsonError(raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + auth + "\r\n"),
                    400, "INVALID_ARGUMENT", "%-escape");
        }
        // Other methods get the body too (Jetty's own error page is for GET, POST and HEAD only).
        assertRawJsonError(raw("DELETE /api/sessions/%zz HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + auth + "\r\n"),
                400, "INVALID_ARGUMENT", "%-escape");
        assertRawJsonError(raw("THIS IS NOT HTTP\r\n\r\n"), 400, "INVALID_ARGUMENT", "malformed request");
        assertRawJsonError(raw("GET /\u0001 HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n"), 400, "INVALID_ARGUMENT",
                "malformed request");
        assertRawJsonError(raw("GET / HTTP/7.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n"), 505,
                "HTTP_VERSION_NOT_SUPPORTED", "HTTP/1.1");
        String longPath = "/api/sessions/" + "a".repeat(HttpLimits.MAX_HEAD_BYTES + 10);
        assertRawJsonError(raw("GET " + longPath + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n"), 414,
                "URI_TOO_LONG", "URI is too long");
        String bigHeader = "X-Filler: " + "b".repeat(HttpLimits.MAX_HEAD_BYTES + 10) + "\r\n";
        assertRawJsonError(raw("GET /api/sessions HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + bigHeader + auth + "\r\n"),
                431, "REQUEST_HEADER_FIELDS_TOO_LARGE", "headers are too large");
        // An invalid %-escape in the query reaches the route and is a 400 there (it was a 500 before).
        assertRawJsonError(raw("POST /whep?avatar=%zz HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + auth
                + "Content-Type: application/sdp\r\nContent-Length: " + OFFER.length() + "\r\n\r\n" + OFFER),
                400, "INVALID_ARGUMENT", "invalid %-escape");

        assertEquals(0, h.sessions().liveSessionCount());
        assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/"))).statusCode());
        // A valid escape that decodes to a bad id is the route's: the JSON error body.
        assertJsonError(send(HttpRequest.newBuilder(URI.create(base + "/api/sessions/%41%42"))), 404, "NOT_FOUND", "AB");
    }

    /** Sends bytes on a fresh connection and reads the answer until the server closes it or 5 s pass. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    answer.write(buffer, 0, n);
                    if (complete(answer.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                }
            } catch (java.net.SocketException reset) {
                // the server may reset after answering a request it did not read to the end
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static boolean complete(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)\r\ncontent-length: *(\\d+)").matcher(answer);
        return end >= 0 && length.find() && answer.length() >= end + 4 + Integer.parseInt(length.group(1));
    }

    static void assertRawJsonError(String answer, int status, String code, String messagePart) {
        System.out.println("[malformed] " + answer.replace("\r\n", " | "));
        assertTrue(answer.startsWith("HTTP/1.1 " + status + " "), answer);
        int end = answer.indexOf("\r\n\r\n");
        String head = answer.substring(0, end).toLowerCase(java.util.Locale.ROOT);
        String body = answer.substring(end + 4);
        assertTrue(head.contains("\r\ncontent-type: application/json"), answer);
        assertTrue(head.contains("\r\nreferrer-policy: no-referrer"), answer);
        assertTrue(body.startsWith("{\"code\":\"" + code + "\",\"message\":"), answer);
        assertTrue(body.contains(messagePart), answer);
        assertTrue(!answer.contains("\tat ") && !answer.contains("Caused by") && !answer.contains("Exception"),
                "stack trace or exception leaked: " + answer);
    }

    @Test
    void slowlorisConnectionsAreCut() throws Exception {
        try (Socket slow = new Socket()) {
            slow.connect(new InetSocketAddress("127.0.0.1", port));
            slow.setSoTimeout(1000);
            OutputStream out = slow.getOutputStream();
            InputStream in = slow.getInputStream();
            out.write("GET /api/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            boolean cut = false;
            // One header byte a second, never finishing the request: the server must close the connection.
            while (!cut && System.nanoTime() - start < 30_000_000_000L) {
                try {
                    out.write('X');
                    out.flush();
                    cut = in.read() == -1;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // nothing yet
                } catch (IOException closed) {
                    cut = true;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("[figures] slowloris connection cut after %.1f s (limit %d s)%n", seconds, HttpLimits.MAX_REQUEST_SECONDS);
            assertTrue(cut, "a request trickling one byte a second was never cut");
            assertTrue(seconds < HttpLimits.MAX_REQUEST_SECONDS + 5, "cut only after " + seconds + " s");
        }
        // The server still answers others.
        assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/"))).statusCode());
    }
}
