package io.facecast.streamer.registration;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The streamer's {@code --signaling} value: one signaling replica's internal address, or several separated by commas
 * ({@code 10.0.0.1:50052,10.0.0.2:50052}), tried in that order (see {@link SignalingRegistration} for the failover
 * rule). Each entry is a gRPC target as before, passed on untouched, so a single address (or a Kubernetes Service
 * name) means what it always meant.
 */
public final class SignalingAddresses {
    private SignalingAddresses() {
    }

    /** @throws IllegalArgumentException for an empty list, an empty entry, an entry with spaces, or a repeated one */
    public static List<String> parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--signaling is empty; give signaling's internal HOST:PORT, or several"
                    + " separated by commas");
        }
        List<String> addresses = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String part : value.split(",", -1)) {
            String address = part.strip();
            if (address.isEmpty()) {
                throw new IllegalArgumentException("--signaling '" + value + "' has an empty entry; separate the"
                        + " replicas' HOST:PORT with single commas");
            }
            if (address.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("--signaling entry '" + address + "' contains a space; separate the"
                        + " replicas' HOST:PORT with commas");
            }
            if (!seen.add(address)) {
                throw new IllegalArgumentException("--signaling lists " + address + " twice");
            }
            addresses.add(address);
        }
        return List.copyOf(addresses);
    }
}
