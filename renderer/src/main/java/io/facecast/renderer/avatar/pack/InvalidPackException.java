package io.facecast.renderer.avatar.pack;

import java.util.List;

/** A pack that fails validation. Every problem reads "file: what is wrong", so a person can go and fix it. */
public final class InvalidPackException extends RuntimeException {
    private final List<String> problems;

    public InvalidPackException(String location, List<String> problems) {
        super("avatar pack " + location + " is invalid: " + String.join("; ", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
