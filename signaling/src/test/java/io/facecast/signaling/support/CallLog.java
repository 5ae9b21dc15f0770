package io.facecast.signaling.support;

import java.util.ArrayList;
import java.util.List;

/** The order in which fakes were called, shared by all fakes of a test ("s1 OpenSession <id>", "renderer ..."). */
public final class CallLog {

    private final List<String> calls = new ArrayList<>();

    public synchronized void add(String call) {
        calls.add(call);
    }

    public synchronized List<String> all() {
        return List.copyOf(calls);
    }

    public synchronized List<String> matching(String fragment) {
        return calls.stream().filter(c -> c.contains(fragment)).toList();
    }
}
