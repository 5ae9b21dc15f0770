package io.facecast.renderer.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facecast.api.v1.AvatarInfo;
import io.facecast.api.v1.VoiceInfo;
import io.facecast.internal.v1.RendererCatalog;
import io.facecast.renderer.avatar.AvatarRegistry;
import io.facecast.renderer.avatar.pack.BuiltInPacks;
import io.facecast.renderer.tts.FreeTtsSynthesizer;
import io.facecast.renderer.tts.VoiceRouter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class RendererCatalogSourceTest {
    @Test
    void listsTheBuiltInPacksWithTheirIdleFrameAsPngAndTheVoicesWithBackends() throws Exception {
        RendererCatalog catalog = new RendererCatalogSource(AvatarRegistry.builtIn(),
                new VoiceRouter(new FreeTtsSynthesizer(1), Optional.empty(), Optional.empty())).catalog();

        assertEquals(BuiltInPacks.NAMES.stream().sorted().toList(),
                catalog.getAvatarsList().stream().map(AvatarInfo::getName).toList());
        for (AvatarInfo a : catalog.getAvatarsList()) {
            BufferedImage preview = ImageIO.read(new ByteArrayInputStream(a.getPreviewPng().toByteArray()));
            assertEquals(RendererCatalogSource.PREVIEW_WIDTH, preview.getWidth(), a.getName());
            assertEquals(Math.round(a.getHeight() * (RendererCatalogSource.PREVIEW_WIDTH / (float) a.getWidth())),
                    preview.getHeight(), a.getName());
            // The face, not a blank: the preview has contrast.
            int min = 255, max = 0;
            for (int y = 0; y < preview.getHeight(); y += 4) {
                for (int x = 0; x < preview.getWidth(); x += 4) {
                    int g = (preview.getRGB(x, y) >> 8) & 0xFF;
                    min = Math.min(min, g);
                    max = Math.max(max, g);
                }
            }
            assertTrue(max - min > 60, a.getName() + " preview spans " + min + ".." + max);
        }

        assertEquals(VoiceInfo.newBuilder().setName("default").setLanguage("en-us").setBackend("freetts").build(),
                catalog.getVoices(0));
        assertTrue(catalog.getVoicesList().stream().allMatch(v -> v.getBackend().equals("freetts")), catalog.getVoicesList().toString());
    }

    @Test
    void espeakVoicesAreListedByLanguageWhenInstalled() {
        var espeak = io.facecast.renderer.tts.espeak.EspeakSynthesizer.installed();
        org.junit.jupiter.api.Assumptions.assumeTrue(espeak.isPresent(), "espeak-ng not installed");
        var voices = new VoiceRouter(new FreeTtsSynthesizer(1), espeak, Optional.empty()).catalog();
        assertTrue(voices.contains(VoiceInfo.newBuilder().setName("espeak:de").setLanguage("de").setBackend("espeak").build()),
                voices.toString());
    }
}
