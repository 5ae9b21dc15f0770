package io.facecast.renderer.avatar;

import io.facecast.renderer.RendererException;
import io.facecast.renderer.avatar.pack.BuiltInPacks;
import io.facecast.renderer.avatar.pack.InvalidPackException;
import io.facecast.renderer.avatar.pack.PackAvatar;
import io.facecast.renderer.avatar.pack.PackFolder;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Avatar names to factories. Each session gets its own instance (at its own frame size). Fixed avatars (the
 * built-in packs) come first; a pack folder, when given, is read again on every lookup, so packs added while the
 * renderer runs are found without a restart. A folder pack named like a fixed avatar is not used.
 */
public final class AvatarRegistry {
    private final Map<String, BiFunction<Integer, Integer, Avatar>> factories;
    private final PackFolder folder;

    public AvatarRegistry(Map<String, BiFunction<Integer, Integer, Avatar>> factories) {
        this(factories, null);
    }

    /** @param folder packs read on each lookup; null for none */
    public AvatarRegistry(Map<String, BiFunction<Integer, Integer, Avatar>> factories, PackFolder folder) {
        this.factories = Map.copyOf(factories);
        this.folder = folder;
    }

    /** The packs shipped with the renderer. */
    public static AvatarRegistry builtIn() {
        return new AvatarRegistry(BuiltInPacks.factories());
    }

    /** The shipped packs plus those in {@code avatarDir} (null: shipped only). */
    public static AvatarRegistry withPackFolder(Path avatarDir) {
        return new AvatarRegistry(BuiltInPacks.factories(), avatarDir == null ? null : new PackFolder(avatarDir));
    }

    public Set<String> names() {
        Set<String> out = new TreeSet<>(factories.keySet());
        if (folder != null) {
            out.addAll(folder.names());
        }
        return out;
    }

    /**
     * @throws RendererException NOT_FOUND for an unknown name, INVALID_ARGUMENT for a pack that fails validation
     *         (the message lists each file and its problem)
     */
    public Avatar create(String name, int width, int height) {
        BiFunction<Integer, Integer, Avatar> f = factories.get(name);
        if (f != null) {
            return f.apply(width, height);
        }
        if (folder != null && folder.contains(name)) {
            try {
                return new PackAvatar(folder.load(name), width, height);
            } catch (InvalidPackException e) {
                throw RendererException.invalid("avatar '" + name + "' can not be used: " + e.getMessage());
            }
        }
        throw RendererException.notFound("unknown avatar '" + name + "'; known avatars: " + names());
    }

    /**
     * The pack behind {@code name}, for previews; empty for an avatar that is not a pack (a test's factory) or a
     * folder pack that fails validation (it is listed, and {@link #create} says what is wrong with it).
     */
    public java.util.Optional<io.facecast.renderer.avatar.pack.AvatarPack> pack(String name) {
        try {
            if (factories.containsKey(name)) {
                return io.facecast.renderer.avatar.pack.BuiltInPacks.NAMES.contains(name)
                        ? java.util.Optional.of(io.facecast.renderer.avatar.pack.BuiltInPacks.get(name))
                        : java.util.Optional.empty();
            }
            return folder != null && folder.contains(name) ? java.util.Optional.of(folder.load(name))
                    : java.util.Optional.empty();
        } catch (InvalidPackException e) {
            return java.util.Optional.empty();
        }
    }

    public boolean contains(String name) {
        return factories.containsKey(name) || folder != null && folder.contains(name);
    }
}
