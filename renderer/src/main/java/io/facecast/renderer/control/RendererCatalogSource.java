package io.facecast.renderer.control;

import io.facecast.api.v1.AvatarInfo;
import io.facecast.internal.v1.RendererCatalog;
import io.facecast.renderer.avatar.AvatarRegistry;
import io.facecast.renderer.avatar.pack.AvatarPack;
import io.facecast.renderer.tts.SpeechSynthesizer;
import jakarta.inject.Inject;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * What the renderer can use right now, for ListAvatars/ListVoices: every avatar name (built-in packs and the pack
 * folder, read again on each call like a session open) with its idle frame as a small PNG, and every voice.
 */
public final class RendererCatalogSource {
    /** Previews are at most this wide: enough for a picker, small enough to list many packs in one message. */
    static final int PREVIEW_WIDTH = 160;

    private final AvatarRegistry avatars;
    private final SpeechSynthesizer voices;

    @Inject
    public RendererCatalogSource(AvatarRegistry avatars, SpeechSynthesizer voices) {
        this.avatars = avatars;
        this.voices = voices;
    }

    public RendererCatalog catalog() {
        RendererCatalog.Builder out = RendererCatalog.newBuilder();
        for (String name : avatars.names()) {
            AvatarInfo.Builder info = AvatarInfo.newBuilder().setName(name);
            Optional<AvatarPack> pack = avatars.pack(name);
            pack.ifPresent(p -> info.setWidth(p.width()).setHeight(p.height()).setIdleFrames(p.idleFrames())
                    .setBlinks(p.blinks()).setPreviewPng(com.google.protobuf.ByteString.copyFrom(previewPng(p))));
            out.addAvatars(info);
        }
        out.addAllVoices(voices.catalog());
        return out.build();
    }

    /** The pack's first idle frame (eyes open, mouth at rest), scaled to {@link #PREVIEW_WIDTH}, as PNG. */
    static byte[] previewPng(AvatarPack pack) {
        BufferedImage frame = pack.frame(null, false);
        int w = Math.min(PREVIEW_WIDTH, frame.getWidth());
        int h = Math.max(1, Math.round(frame.getHeight() * (w / (float) frame.getWidth())));
        BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = small.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(frame, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(small, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }
}
