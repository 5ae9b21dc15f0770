package io.facecast.renderer.avatar.pack;

import io.facecast.renderer.avatar.Avatar;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/** The packs shipped in the renderer's resources ({@code avatars/<name>/}), each loaded once and shared. */
public final class BuiltInPacks {
    /** Every name here has its files under renderer/src/main/resources/avatars/. */
    public static final List<String> NAMES = List.of("default", "ada");

    private static final Map<String, AvatarPack> LOADED = new ConcurrentHashMap<>();

    private BuiltInPacks() {}

    /** @throws InvalidPackException only if the renderer was built with a broken built-in pack */
    public static AvatarPack get(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("no built-in pack '" + name + "'; built-in packs: " + NAMES);
        }
        return LOADED.computeIfAbsent(name, n -> PackLoader.load(PackFiles.resources(n)));
    }

    /** Factories for {@link io.facecast.renderer.avatar.AvatarRegistry}: each session gets the pack at its own size. */
    public static Map<String, BiFunction<Integer, Integer, Avatar>> factories() {
        Map<String, BiFunction<Integer, Integer, Avatar>> out = new LinkedHashMap<>();
        for (String n : NAMES) {
            out.put(n, (w, h) -> new PackAvatar(get(n), w, h));
        }
        return out;
    }
}
