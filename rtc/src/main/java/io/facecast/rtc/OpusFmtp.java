package io.facecast.rtc;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opus encoder settings for a {@link SendingPeer}, carried the only way libwebrtc (as webrtc-java 0.14.0 ships it)
 * takes them: as format parameters (RFC 7587) of Opus in the remote description. libwebrtc builds a sender's Opus
 * encoder from the parameters the <em>receiver</em> signalled ({@code AudioEncoderOpusImpl::SdpToConfig} on the
 * remote description's codec), and webrtc-java exposes neither the encoder's complexity nor field trials. So before
 * the client's offer is set, its Opus {@code a=fmtp} line gets these parameters, replacing the same keys; the offer
 * stays otherwise as sent, and the answer libwebrtc writes is unaffected.
 *
 * <p>Only parameters that describe what the receiver accepts are allowed: {@code maxplaybackrate} (the audio
 * bandwidth worth sending: 16000 for a 16 kHz voice), {@code maxaveragebitrate}, {@code usedtx}, {@code useinbandfec}
 * and {@code cbr}. Figures: docs/performance.md.
 */
public final class OpusFmtp {
    /** The parameters {@link #parse} accepts, with the values each may take. */
    static final Set<String> KEYS = Set.of("maxplaybackrate", "maxaveragebitrate", "usedtx", "useinbandfec", "cbr");
    private static final Pattern RTPMAP = Pattern.compile("(?i)^a=rtpmap:(\\d+) opus/48000(/\\d+)?\\s*$");

    private OpusFmtp() {
    }

    /**
     * Parses "key=value;key=value" (empty: none). Rates in Hz (8000..48000), bitrates in bit/s (6000..510000),
     * flags 0 or 1.
     *
     * @throws IllegalArgumentException with a message naming the bad part
     */
    public static Map<String, String> parse(String spec) {
        Map<String, String> out = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return Map.of();
        }
        for (String part : spec.split(";")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String key = eq < 0 ? p : p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : p.substring(eq + 1).strip();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("Opus parameter \"" + key + "\" is not one of " + KEYS.stream()
                        .sorted().toList());
            }
            int v;
            try {
                v = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Opus parameter " + key + " needs a whole number, got \"" + value
                        + "\"");
            }
            boolean ok = switch (key) {
                case "maxplaybackrate" -> v >= 8000 && v <= 48000;
                case "maxaveragebitrate" -> v >= 6000 && v <= 510000;
                default -> v == 0 || v == 1;
            };
            if (!ok) {
                throw new IllegalArgumentException("Opus parameter " + key + "=" + v + " is out of range ("
                        + switch (key) {
                            case "maxplaybackrate" -> "8000..48000 Hz";
                            case "maxaveragebitrate" -> "6000..510000 bit/s";
                            default -> "0 or 1";
                        } + ")");
            }
            out.put(key, Integer.toString(v));
        }
        return Map.copyOf(out);
    }

    /**
     * The offer with {@code params} set on every Opus payload type's fmtp line (added after its rtpmap line where
     * the offer has none). Returns the offer unchanged when params is empty or the offer has no Opus.
     */
    public static String apply(String offerSdp, Map<String, String> params) {
        if (params.isEmpty()) {
            return offerSdp;
        }
        String eol = offerSdp.contains("\r\n") ? "\r\n" : "\n";
        String[] lines = offerSdp.split("\r?\n", -1);
        Set<String> opus = new java.util.HashSet<>();
        for (String line : lines) {
            Matcher m = RTPMAP.matcher(line);
            if (m.matches()) {
                opus.add(m.group(1));
            }
        }
        if (opus.isEmpty()) {
            return offerSdp;
        }
        Set<String> withFmtp = new java.util.HashSet<>();
        for (int i = 0; i < lines.length; i++) {
            String pt = fmtpPayloadType(lines[i]);
            if (pt != null && opus.contains(pt)) {
                lines[i] = "a=fmtp:" + pt + " " + merge(lines[i].substring(("a=fmtp:" + pt).length()).strip(), params);
                withFmtp.add(pt);
            }
        }
        StringBuilder out = new StringBuilder(offerSdp.length() + 128);
        for (int i = 0; i < lines.length; i++) {
            out.append(lines[i]);
            if (i < lines.length - 1) {
                out.append(eol);
            }
            Matcher m = RTPMAP.matcher(lines[i]);
            if (m.matches() && !withFmtp.contains(m.group(1))) {
                out.append("a=fmtp:").append(m.group(1)).append(' ').append(merge("", params)).append(eol);
            }
        }
        return out.toString();
    }

    private static String fmtpPayloadType(String line) {
        if (!line.startsWith("a=fmtp:")) {
            return null;
        }
        int space = line.indexOf(' ');
        return space < 0 ? null : line.substring("a=fmtp:".length(), space);
    }

    /** The offer's parameters in their order, each key in params replaced (case-insensitively), new keys appended. */
    private static String merge(String existing, Map<String, String> params) {
        Map<String, String> all = new LinkedHashMap<>();
        for (String part : existing.split(";")) {
            String p = part.strip();
            if (!p.isEmpty()) {
                int eq = p.indexOf('=');
                all.put(eq < 0 ? p : p.substring(0, eq).strip().toLowerCase(Locale.ROOT), eq < 0 ? null : p.substring(eq + 1));
            }
        }
        new java.util.TreeMap<>(params).forEach(all::put);
        StringBuilder b = new StringBuilder();
        all.forEach((k, v) -> {
            if (b.length() > 0) {
                b.append(';');
            }
            b.append(k);
            if (v != null) {
                b.append('=').append(v);
            }
        });
        return b.toString();
    }
}
