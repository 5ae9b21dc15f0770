package io.facecast.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.api.v1.IceServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SignalingOptionsTest {

    @Test
    void parsesTurnAndStunServers() {
        assertEquals(IceServer.newBuilder().addUrls("turn:127.0.0.1:3478?transport=udp").setUsername("u").setCredential("p").build(),
                IceServerOption.parse("turn:127.0.0.1:3478?transport=udp,u,p"));
        assertEquals(IceServer.newBuilder().addUrls("stun:stun.example.org:3478").build(),
                IceServerOption.parse("stun:stun.example.org:3478"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IceServerOption.parse("turn:h:3478"))
                .getMessage().contains("needs credentials"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IceServerOption.parse("http://h"))
                .getMessage().contains("must start with"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IceServerOption.parse("stun:h:1,u,p"))
                .getMessage().contains("takes no credentials"));
    }

    @Test
    void parsesDurations() {
        assertEquals(Duration.ofSeconds(30), DurationOption.parse("30"));
        assertEquals(Duration.ofSeconds(30), DurationOption.parse("30s"));
        assertEquals(Duration.ofMillis(500), DurationOption.parse("500ms"));
        assertEquals(Duration.ofMillis(1500), DurationOption.parse("1.5"));
        assertEquals(Duration.ofMinutes(2), DurationOption.parse("2m"));
        assertEquals(Duration.ofSeconds(45), DurationOption.parse("PT45S"));
        assertNull(DurationOption.parse("soon"));
    }

    private static SignalingConfig config(String... args) {
        SignalingMain main = new SignalingMain();
        CommandLine commandLine = new CommandLine(main);
        commandLine.parseArgs(args);
        return main.toConfig();
    }

    @Test
    void commandLineDefaultsAndOptions() {
        SignalingConfig defaults = config();
        assertEquals("127.0.0.1", defaults.host());
        assertEquals(50051, defaults.port());
        assertEquals("127.0.0.1:50061", defaults.rendererAddress());
        assertEquals(List.of(), defaults.iceServers());
        assertEquals(Duration.ofSeconds(30), defaults.sessionGrace());
        assertEquals(Duration.ofSeconds(3), defaults.streamerTimeout());

        SignalingConfig custom = config("--port", "0", "--renderer", "127.0.0.1:6000", "--session-grace", "2s",
                "--ice-server", "stun:127.0.0.1:3478", "--ice-server", "turn:127.0.0.1:3478?transport=udp,u,p");
        assertEquals(0, custom.port());
        assertEquals("127.0.0.1:6000", custom.rendererAddress());
        assertEquals(Duration.ofSeconds(2), custom.sessionGrace());
        assertEquals(2, custom.iceServers().size());

        assertThrows(CommandLine.ParameterException.class, () -> config("--session-grace", "0"));
        assertThrows(CommandLine.ParameterException.class, () -> config("--ice-server", "turn:h:1"));
    }
}
