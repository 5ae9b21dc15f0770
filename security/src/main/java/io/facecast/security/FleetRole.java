package io.facecast.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a fleet process is; part of its certificate's identity, and what the internal services authorize on. */
public enum FleetRole {
    SIGNALING,
    RENDERER,
    STREAMER;

    /** The role as it appears in identities and on the command line: lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the roles there are */
    public static FleetRole parse(String label) {
        for (FleetRole role : values()) {
            if (role.label().equals(label)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + label + "'; one of "
                + Arrays.stream(values()).map(FleetRole::label).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return label();
    }
}
