package io.facecast.renderer.avatar.pack;

import io.facecast.renderer.RendererException;
import io.facecast.renderer.avatar.AvatarRegistry;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class PackRegistryTest {
    @TempDir
    Path dir;

    @Test
    void builtInPacksAreAlwaysThere() {
        AvatarRegistry reg = AvatarRegistry.withPackFolder(dir.resolve("does-not-exist"));
        assertTrue(reg.names().containsAll(BuiltInPacks.NAMES));
        assertEquals("default", reg.create("default", 128, 128).name());
        assertEquals("ada", reg.create("ada", 128, 96).name());
    }

    @Test
    void aPackAddedWhileRunningIsFoundOnTheNextLookup() {
        AvatarRegistry reg = AvatarRegistry.withPackFolder(dir);
        RendererException e = assertThrows(RendererException.class, () -> reg.create("newface", 256, 256));
        assertEquals(Status.Code.NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains("unknown avatar 'newface'") && e.getMessage().contains("ada"), e.getMessage());

        PackFixture.pack(dir, "newface");
        assertTrue(reg.names().contains("newface"));
        assertEquals("newface", reg.create("newface", 256, 256).name());
    }

    @Test
    void aBrokenPackIsInvalidArgumentNamingTheFileAndOthersStillWork() throws IOException {
        AvatarRegistry reg = AvatarRegistry.withPackFolder(dir);
        Path broken = PackFixture.pack(dir, "broken");
        PackFixture.pack(dir, "fine");
        Files.delete(broken.resolve("mouth/D.png"));
        RendererException e = assertThrows(RendererException.class, () -> reg.create("broken", 256, 256));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("avatar 'broken'") && e.getMessage().contains("mouth/D.png: missing"), e.getMessage());
        assertEquals("fine", reg.create("fine", 256, 256).name());

        // fixed while running: the next lookup uses it
        PackFixture.pack(dir, "broken");
        assertEquals("broken", reg.create("broken", 256, 256).name());
    }

    @Test
    void namesThatAreNotPackNamesAreNotLookedUpOnDisk() throws IOException {
        PackFixture.pack(dir, "inside");
        Path nested = Files.createDirectories(dir.resolve("sub"));
        AvatarRegistry reg = AvatarRegistry.withPackFolder(nested);
        for (String name : new String[] {"../inside", "/etc", "Inside", ".", ""}) {
            RendererException e = assertThrows(RendererException.class, () -> reg.create(name, 128, 128), name);
            assertEquals(Status.Code.NOT_FOUND, e.code(), name);
            assertFalse(reg.contains(name), name);
        }
    }

    @Test
    void aFolderPackCanNotReplaceABuiltInOne() throws IOException {
        Path fake = PackFixture.pack(dir, "default");
        Files.delete(fake.resolve("blink.png")); // would be invalid if it were read
        AvatarRegistry reg = AvatarRegistry.withPackFolder(dir);
        assertEquals("default", reg.create("default", 128, 128).name());
    }
}
