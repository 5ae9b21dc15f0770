package io.facecast.renderer.avatar.pack;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.facecast.renderer.avatar.Region;
import io.facecast.renderer.viseme.MouthShape;

import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any {@code avatar.json} of a pack folder named "fuzz" either parses into a manifest that keeps every promise of
 * docs/avatar-packs.md (regions even, inside the frame and apart; one idle loop of 1..64 PNG paths inside the pack;
 * every mouth shape drawn) or is refused with {@link InvalidPackException} listing its problems; no other exception,
 * no Error (deeply nested JSON included). Seeds: {@code PackManifestFuzzTestInputs/parse/}. Fuzzing for real:
 * docs/fuzzing.md.
 */
class PackManifestFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] json) {
        PackManifest m;
        try {
            m = PackManifest.parse(json, "fuzz", "fuzz-pack");
        } catch (InvalidPackException e) {
            assertFalse(e.problems().isEmpty());
            e.problems().forEach(p -> assertTrue(p.startsWith(PackManifest.FILE + ": "), p));
            return;
        }
        assertEquals("fuzz", m.name());
        assertTrue(size(m.width()) && size(m.height()), m.width() + "x" + m.height());
        assertTrue(m.idle().size() >= 1 && m.idle().size() <= PackManifest.MAX_IDLE_FRAMES);
        m.idle().forEach(PackManifestFuzzTest::insidePack);
        assertInside(m.mouth(), m);
        if (m.blink() != null) {
            insidePack(m.blink());
            assertNotNull(m.eyes());
        }
        if (m.eyes() != null) {
            assertInside(m.eyes(), m);
            Region a = m.eyes(), b = m.mouth();
            boolean apart = (long) a.x() + a.width() <= b.x() || (long) b.x() + b.width() <= a.x()
                    || (long) a.y() + a.height() <= b.y() || (long) b.y() + b.height() <= a.y();
            assertTrue(apart, "eyes " + a + " overlap mouth " + b);
        }
        assertTrue(m.visemes() == null ^ m.sheet() == null);
        if (m.visemes() != null) {
            assertEquals(EnumSet.allOf(MouthShape.class), EnumSet.copyOf(m.visemes().keySet()));
            m.visemes().values().forEach(PackManifestFuzzTest::insidePack);
        } else {
            insidePack(m.sheet().file());
            assertTrue(m.sheet().columns() >= 1);
            assertEquals(EnumSet.allOf(MouthShape.class), EnumSet.copyOf(m.sheet().order()));
            assertEquals(MouthShape.values().length, m.sheet().order().size());
        }
        // What was accepted is written back by pack build unchanged in meaning.
        assertEquals(m, PackManifest.parse(m.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8), "fuzz", "again"));
    }

    private static boolean size(int v) {
        return v >= PackManifest.MIN_SIZE && v <= PackManifest.MAX_SIZE && v % 2 == 0;
    }

    private static void assertInside(Region r, PackManifest m) {
        assertNotNull(r);
        assertTrue(r.width() > 0 && r.height() > 0, r.toString());
        assertTrue((long) r.x() + r.width() <= m.width() && (long) r.y() + r.height() <= m.height(),
                r + " is outside the " + m.width() + "x" + m.height() + " frame");
    }

    private static void insidePack(String path) {
        assertTrue(!path.isEmpty() && !path.startsWith("/") && !path.contains("\\") && !path.contains(":"), path);
        for (String segment : path.split("/", -1)) {
            assertTrue(!segment.isEmpty() && !segment.equals(".") && !segment.equals(".."), path);
        }
        assertTrue(path.toLowerCase(java.util.Locale.ROOT).endsWith(".png"), path);
    }
}
