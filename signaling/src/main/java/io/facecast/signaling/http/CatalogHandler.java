package io.facecast.signaling.http;

import io.facecast.api.v1.AvatarInfo;
import io.facecast.api.v1.ListAvatarsResponse;
import io.facecast.api.v1.ListVoicesResponse;
import io.facecast.internal.v1.RendererCatalog;
import io.facecast.signaling.session.SessionManager;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * ListAvatars and ListVoices for browsers, the same {@link SessionManager#catalog()} the gRPC methods use.
 *
 * <pre>
 * GET /v1/avatars                     -> ListAvatarsResponse JSON (previews linked by previewUrl, not inlined)
 * GET /v1/avatars/{name}/preview.png  -> image/png, the avatar's idle frame; 404 naming the known avatars
 * GET /v1/voices                      -> ListVoicesResponse JSON
 * </pre>
 */
final class CatalogHandler {
    static final String PREFIX = "/v1/";
    private static final String AVATARS = "/v1/avatars";
    private static final String PREVIEW = "/preview.png";

    private final SessionManager sessions;

    CatalogHandler(SessionManager sessions) {
        this.sessions = sessions;
    }

    void handle(Exchange exchange) throws IOException {
        String path = exchange.path();
        if (!exchange.method().equals("GET")) {
            throw HttpProblem.methodNotAllowed(exchange.method(), "GET");
        }
        if (path.equals(AVATARS)) {
            ListAvatarsResponse.Builder list = ListAvatarsResponse.newBuilder();
            for (AvatarInfo a : sessions.catalog().getAvatarsList()) {
                list.addAvatars(a.toBuilder().clearPreviewPng());
            }
            exchange.send(200, SessionApiHandler.JSON, ProtoJson.print(list.build()));
        } else if (path.equals("/v1/voices")) {
            exchange.send(200, SessionApiHandler.JSON, ProtoJson.print(ListVoicesResponse.newBuilder()
                    .addAllVoices(sessions.catalog().getVoicesList()).build()));
        } else if (path.startsWith(AVATARS + "/") && path.endsWith(PREVIEW)) {
            String name = URLDecoder.decode(path.substring(AVATARS.length() + 1, path.length() - PREVIEW.length()),
                    StandardCharsets.UTF_8);
            RendererCatalog catalog = sessions.catalog();
            AvatarInfo avatar = catalog.getAvatarsList().stream().filter(a -> a.getName().equals(name)).findFirst()
                    .orElseThrow(() -> HttpProblem.notFound("unknown avatar '" + name + "'; known avatars: "
                            + catalog.getAvatarsList().stream().map(AvatarInfo::getName).toList()));
            if (avatar.getPreviewPng().isEmpty()) {
                throw HttpProblem.notFound("avatar '" + name + "' has no preview");
            }
            exchange.setHeader("Cache-Control", "max-age=60");
            exchange.send(200, "image/png", avatar.getPreviewPng().toByteArray());
        } else {
            throw HttpProblem.notFound("no API at " + path + "; the catalog is " + AVATARS + ", " + AVATARS
                    + "/{name}" + PREVIEW + " and /v1/voices");
        }
    }
}
