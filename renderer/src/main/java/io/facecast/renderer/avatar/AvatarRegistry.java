package io.facecast.renderer.avatar;

import io.facecast.renderer.RendererException;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/** Avatar names to factories. Each session gets its own instance (at its own frame size). */
public final class AvatarRegistry {
    private final Map<String, BiFunction<Integer, Integer, Avatar>> factories;

    public AvatarRegistry(Map<String, BiFunction<Integer, Integer, Avatar>> factories) {
        this.factories = Map.copyOf(factories);
    }

    public static AvatarRegistry builtIn() {
        return new AvatarRegistry(Map.of(DefaultAvatar.NAME, DefaultAvatar::new));
    }

    public Set<String> names() {
        return new TreeSet<>(factories.keySet());
    }

    /** @throws RendererException NOT_FOUND for an unknown name */
    public Avatar create(String name, int width, int height) {
        BiFunction<Integer, Integer, Avatar> f = factories.get(name);
        if (f == null) {
            throw RendererException.notFound("unknown avatar '" + name + "'; known avatars: " + names());
        }
        return f.apply(width, height);
    }

    public boolean contains(String name) {
        return factories.containsKey(name);
    }
}
