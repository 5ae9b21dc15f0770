package io.facecast.renderer.avatar.pack;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import io.facecast.renderer.avatar.Region;
import io.facecast.renderer.viseme.MouthShape;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parsed {@code avatar.json} of a pack (format 1, described in docs/avatar-packs.md). Parsing checks the
 * manifest on its own (types, names, regions against the frame); the files it names are checked by {@link PackLoader}.
 *
 * @param visemes the mouth image of every shape, or null when the pack uses a sprite {@code sheet}
 * @param blink   the eyes-closed image, or null when the pack does not blink
 * @param eyes    where the blink image goes; null only when there is no blink image
 * @param idleHolds for each idle frame, how many video frames in a row show it (1..{@link #MAX_IDLE_HOLD})
 */
public record PackManifest(String name, int width, int height, List<String> idle, String blink, Region eyes,
                           Region mouth, Map<MouthShape, String> visemes, Sheet sheet, List<Integer> idleHolds) {
    public static final String FILE = "avatar.json";
    public static final int FORMAT = 1;
    public static final int MIN_SIZE = 64;
    public static final int MAX_SIZE = 4096;
    /** Avatar names are folder names and travel in requests: keep them to safe characters. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    /** The longest idle loop the streamer accepts (its per-session limit). */
    public static final int MAX_IDLE_FRAMES = io.facecast.bus.MediaFormat.MAX_IDLE_FRAMES;
    /** The longest an idle frame may be held, in video frames (the bus's limit; about 10 s at 25 fps). */
    public static final int MAX_IDLE_HOLD = io.facecast.bus.MediaFormat.MAX_IDLE_HOLD;
    private static final Set<String> FIELDS = Set.of("format", "name", "width", "height", "idle", "blink", "eyes", "mouth",
            "visemes", "sheet");

    public PackManifest {
        if (idleHolds == null) {
            idleHolds = java.util.Collections.nCopies(idle.size(), 1);
        }
        if (idleHolds.size() != idle.size()) {
            throw new IllegalArgumentException(idle.size() + " idle frames but " + idleHolds.size() + " hold counts");
        }
        idleHolds = List.copyOf(idleHolds);
    }

    /** A manifest whose idle frames are each held one video frame. */
    public PackManifest(String name, int width, int height, List<String> idle, String blink, Region eyes,
                        Region mouth, Map<MouthShape, String> visemes, Sheet sheet) {
        this(name, width, height, idle, blink, eyes, mouth, visemes, sheet, null);
    }

    /** A sprite sheet: mouth-region-sized cells, row by row, in the order the {@code order} string names them. */
    public record Sheet(String file, int columns, List<MouthShape> order) {}

    /** The JSON of this manifest, as {@code pack build} and {@code pack export-default} write it. */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("name", name);
        o.addProperty("width", width);
        o.addProperty("height", height);
        JsonArray idleFiles = new JsonArray();
        for (int i = 0; i < idle.size(); i++) {
            if (idleHolds.get(i) == 1) {
                idleFiles.add(idle.get(i));
            } else {
                JsonObject held = new JsonObject();
                held.addProperty("file", idle.get(i));
                held.addProperty("hold", idleHolds.get(i));
                idleFiles.add(held);
            }
        }
        o.add("idle", idleFiles);
        if (blink != null) {
            o.addProperty("blink", blink);
        }
        if (eyes != null) {
            o.add("eyes", json(eyes));
        }
        o.add("mouth", json(mouth));
        if (visemes != null) {
            JsonObject v = new JsonObject();
            visemes.forEach((shape, file) -> v.addProperty(shape.name(), file));
            o.add("visemes", v);
        } else {
            JsonObject s = new JsonObject();
            s.addProperty("file", sheet.file());
            s.addProperty("columns", sheet.columns());
            StringBuilder order = new StringBuilder();
            sheet.order().forEach(m -> order.append(m.name()));
            s.addProperty("order", order.toString());
            o.add("sheet", s);
        }
        return new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
    }

    private static JsonObject json(Region r) {
        JsonObject o = new JsonObject();
        o.addProperty("x", r.x());
        o.addProperty("y", r.y());
        o.addProperty("w", r.width());
        o.addProperty("h", r.height());
        return o;
    }

    /**
     * @param folderName the pack's folder, which must carry the manifest's name
     * @throws InvalidPackException listing every problem, each starting with "avatar.json"
     */
    public static PackManifest parse(byte[] json, String folderName, String location) {
        JsonElement root;
        try {
            JsonReader reader = new JsonReader(new StringReader(new String(json, StandardCharsets.UTF_8)));
            reader.setStrictness(Strictness.STRICT);
            root = JsonParser.parseReader(reader);
            if (reader.peek() != com.google.gson.stream.JsonToken.END_DOCUMENT) {
                throw new InvalidPackException(location, List.of(FILE + ": not valid JSON: more data after the object "
                        + reader.toString().replaceFirst("^JsonReader", "").trim()));
            }
        } catch (JsonParseException | java.io.IOException | StackOverflowError e) {
            throw new InvalidPackException(location, List.of(FILE + ": not valid JSON: " + gsonMessage(e)));
        }
        Fields f = new Fields();
        if (!root.isJsonObject()) {
            throw new InvalidPackException(location, List.of(FILE + ": must hold one JSON object {...}"));
        }
        JsonObject o = root.getAsJsonObject();
        for (String k : o.keySet()) {
            if (!FIELDS.contains(k)) {
                f.problem("unknown field '" + k + "' (known fields: " + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")");
            }
        }
        if (o.has("format")) {
            Integer format = f.integer(o, "format");
            if (format != null && format != FORMAT) {
                f.problem("field 'format' is " + format + "; this renderer reads format " + FORMAT);
            }
        }
        String name = f.string(o, "name", true);
        if (name != null && !NAME.matcher(name).matches()) {
            f.problem("field 'name' '" + name + "' must be 1-64 characters of a-z, 0-9, '-' or '_', starting with a letter or digit");
        } else if (name != null && !name.equals(folderName)) {
            f.problem("field 'name' is '" + name + "' but the pack's folder is '" + folderName + "'; they must match");
        }
        Integer width = f.integer(o, "width");
        Integer height = f.integer(o, "height");
        checkSize(f, "width", width);
        checkSize(f, "height", height);
        List<String> idle = new ArrayList<>();
        List<Integer> holds = new ArrayList<>();
        JsonElement idleJson = o.get("idle");
        if (idleJson == null) {
            f.problem("field 'idle' is missing: list at least one idle frame, e.g. \"idle\": [\"idle/0.png\"]");
        } else if (!idleJson.isJsonArray() || idleJson.getAsJsonArray().isEmpty()) {
            f.problem("field 'idle' must be a non-empty array of PNG paths (or {\"file\": path, \"hold\": frames})");
        } else if (idleJson.getAsJsonArray().size() > MAX_IDLE_FRAMES) {
            f.problem("field 'idle' lists " + idleJson.getAsJsonArray().size() + " frames but a loop may have at most "
                    + MAX_IDLE_FRAMES + " (each is a full frame held in memory per session)");
        } else {
            JsonArray a = idleJson.getAsJsonArray();
            for (int i = 0; i < a.size(); i++) {
                Integer hold = 1;
                JsonElement entry = a.get(i);
                if (entry.isJsonObject()) { // {"file": "idle/01.png", "hold": 12}: shown for 12 video frames in a row
                    JsonObject held = entry.getAsJsonObject();
                    for (String k : held.keySet()) {
                        if (!k.equals("file") && !k.equals("hold")) {
                            f.problem("field 'idle[" + i + "]." + k + "' is unknown; an idle entry has file and hold");
                        }
                    }
                    entry = held.get("file");
                    if (entry == null) {
                        f.problem("field 'idle[" + i + "].file' is missing");
                    }
                    hold = held.has("hold") ? f.wholeNumber(held, "hold", "idle[" + i + "].hold") : Integer.valueOf(1);
                    if (hold != null && (hold < 1 || hold > MAX_IDLE_HOLD)) {
                        f.problem("field 'idle[" + i + "].hold' is " + hold + "; it must be 1.." + MAX_IDLE_HOLD
                                + " (how many video frames in a row show this idle frame)");
                        hold = null;
                    }
                }
                String p = entry == null ? null : f.path(entry, "idle[" + i + "]");
                if (p != null && hold != null) {
                    idle.add(p);
                    holds.add(hold);
                }
            }
        }
        String blink = o.has("blink") ? f.path(o.get("blink"), "blink") : null;
        // Without a blink image nothing is laid over the eyes, so the eyes region is optional then.
        Region eyes = o.has("eyes") || blink != null ? f.region(o, "eyes", width, height) : null;
        Region mouth = f.region(o, "mouth", width, height);
        if (eyes != null && mouth != null && overlap(eyes, mouth)) {
            f.problem("regions 'eyes' " + show(eyes) + " and 'mouth' " + show(mouth)
                    + " overlap; the streamer lays them independently, so they must not");
        }
        Map<MouthShape, String> visemes = null;
        Sheet sheet = null;
        if (o.has("visemes") == o.has("sheet")) {
            f.problem("give exactly one of 'visemes' (one PNG per mouth shape) or 'sheet' (a sprite sheet)");
        } else if (o.has("visemes")) {
            visemes = f.visemes(o.get("visemes"));
        } else {
            sheet = f.sheet(o.get("sheet"));
        }
        if (!f.problems.isEmpty()) {
            throw new InvalidPackException(location, f.problems);
        }
        return new PackManifest(name, width, height, List.copyOf(idle), blink, eyes, mouth, visemes, sheet, holds);
    }

    static String show(Region r) {
        return "{x " + r.x() + ", y " + r.y() + ", w " + r.width() + ", h " + r.height() + "}";
    }

    private static boolean overlap(Region a, Region b) {
        return a.x() < b.x() + b.width() && b.x() < a.x() + a.width()
                && a.y() < b.y() + b.height() && b.y() < a.y() + a.height();
    }

    private static void checkSize(Fields f, String field, Integer v) {
        if (v != null && (v < MIN_SIZE || v > MAX_SIZE || (v & 1) != 0)) {
            f.problem("field '" + field + "' is " + v + "; use an even number in " + MIN_SIZE + ".." + MAX_SIZE);
        }
    }

    /** Gson's message carries the line, column and JSON path; drop its trailing link to its troubleshooting guide. */
    private static String gsonMessage(Throwable e) {
        Throwable t = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause() : e;
        String m = String.valueOf(t.getMessage());
        int see = m.indexOf("\nSee ");
        return see < 0 ? m : m.substring(0, see);
    }

    /** Reads fields, recording a problem (and answering null) for each one that is missing or of the wrong type. */
    private static final class Fields {
        final List<String> problems = new ArrayList<>();

        void problem(String what) {
            problems.add(FILE + ": " + what);
        }

        String string(JsonObject o, String field, boolean required) {
            JsonElement e = o.get(field);
            if (e == null) {
                if (required) {
                    problem("field '" + field + "' is missing");
                }
                return null;
            }
            if (!(e instanceof JsonPrimitive p) || !p.isString()) {
                problem("field '" + field + "' must be a string, not " + e);
                return null;
            }
            return p.getAsString();
        }

        Integer integer(JsonObject o, String field) {
            JsonElement e = o.get(field);
            if (e == null) {
                problem("field '" + field + "' is missing");
                return null;
            }
            if (e instanceof JsonPrimitive p && p.isNumber()) {
                double d = p.getAsDouble();
                if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
                    return (int) d;
                }
            }
            problem("field '" + field + "' must be a whole number, not " + e);
            return null;
        }

        /** A file path inside the pack: relative, slash-separated, no "..", a .png. */
        String path(JsonElement e, String field) {
            if (!(e instanceof JsonPrimitive p) || !p.isString()) {
                problem("field '" + field + "' must be a string (a PNG path inside the pack), not " + e);
                return null;
            }
            String s = p.getAsString();
            if (s.isEmpty() || s.startsWith("/") || s.contains("\\") || s.contains(":")
                    || List.of(s.split("/")).stream().anyMatch(seg -> seg.equals("..") || seg.equals(".") || seg.isEmpty())) {
                problem("field '" + field + "' '" + s + "' must be a relative path inside the pack, like \"mouth/A.png\"");
                return null;
            }
            if (!s.toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
                problem("field '" + field + "' '" + s + "' must name a .png file");
                return null;
            }
            return s;
        }

        Region region(JsonObject o, String field, Integer frameW, Integer frameH) {
            JsonElement e = o.get(field);
            if (e == null) {
                problem("field '" + field + "' is missing: give the " + field + " region as {\"x\":..,\"y\":..,\"w\":..,\"h\":..}");
                return null;
            }
            if (!e.isJsonObject()) {
                problem("field '" + field + "' must be an object {\"x\":..,\"y\":..,\"w\":..,\"h\":..}, not " + e);
                return null;
            }
            JsonObject r = e.getAsJsonObject();
            int before = problems.size();
            for (String k : r.keySet()) {
                if (!Set.of("x", "y", "w", "h").contains(k)) {
                    problem("field '" + field + "." + k + "' is unknown; a region has x, y, w, h");
                }
            }
            Integer x = integer(r, field, "x"), y = integer(r, field, "y"), w = integer(r, field, "w"), h = integer(r, field, "h");
            if (problems.size() > before) {
                return null;
            }
            String shown = "{x " + x + ", y " + y + ", w " + w + ", h " + h + "}";
            if (x < 0 || y < 0 || w <= 0 || h <= 0) {
                problem("region '" + field + "' " + shown + " must have x, y >= 0 and w, h > 0");
                return null;
            }
            if (((x | y | w | h) & 1) != 0) {
                problem("region '" + field + "' " + shown + " must start and end on even pixels (I420 chroma is 2x2): "
                        + "make x, y, w and h even");
                return null;
            }
            // long: x + w of two large ints would wrap negative and pass.
            if (frameW != null && frameH != null && ((long) x + w > frameW || (long) y + h > frameH)) {
                problem("region '" + field + "' " + shown + " reaches " + ((long) x + w) + "," + ((long) y + h) + ", outside the "
                        + frameW + "x" + frameH + " frame");
                return null;
            }
            return new Region(x, y, w, h);
        }

        private Integer integer(JsonObject r, String field, String k) {
            return wholeNumber(r, k, field + "." + k);
        }

        /** The whole number {@code r.k}, named {@code shown} in problems. */
        Integer wholeNumber(JsonObject r, String k, String shown) {
            JsonElement v = r.get(k);
            if (v == null) {
                problem("field '" + shown + "' is missing");
                return null;
            }
            if (v instanceof JsonPrimitive p && p.isNumber() && p.getAsDouble() == Math.rint(p.getAsDouble())
                    && Math.abs(p.getAsDouble()) <= Integer.MAX_VALUE) {
                return (int) p.getAsDouble();
            }
            problem("field '" + shown + "' must be a whole number, not " + v);
            return null;
        }

        Map<MouthShape, String> visemes(JsonElement e) {
            if (!e.isJsonObject()) {
                problem("field 'visemes' must be an object mapping each of A-H and X to a PNG, not " + e);
                return null;
            }
            Map<MouthShape, String> out = new EnumMap<>(MouthShape.class);
            for (Map.Entry<String, JsonElement> kv : e.getAsJsonObject().entrySet()) {
                MouthShape shape = shape(kv.getKey());
                if (shape == null) {
                    problem("field 'visemes' names unknown viseme '" + kv.getKey() + "'; the mouth shapes are "
                            + shapeNames());
                    continue;
                }
                String p = path(kv.getValue(), "visemes." + kv.getKey());
                if (p != null) {
                    out.put(shape, p);
                }
            }
            for (MouthShape s : MouthShape.values()) {
                if (!out.containsKey(s) && e.getAsJsonObject().get(s.name()) == null) {
                    problem("field 'visemes' has no image for viseme '" + s.name() + "' (" + describe(s) + ")");
                }
            }
            return out;
        }

        Sheet sheet(JsonElement e) {
            if (!e.isJsonObject()) {
                problem("field 'sheet' must be an object {\"file\":..,\"columns\":..,\"order\":\"ABCDEFGHX\"}, not " + e);
                return null;
            }
            JsonObject o = e.getAsJsonObject();
            String file = o.has("file") ? path(o.get("file"), "sheet.file") : null;
            if (!o.has("file")) {
                problem("field 'sheet.file' is missing");
            }
            Integer columns = integer(o, "sheet", "columns");
            if (columns != null && columns < 1) {
                problem("field 'sheet.columns' is " + columns + "; it must be at least 1");
            }
            String order = o.has("order") ? string(o, "order", false) : "ABCDEFGHX";
            List<MouthShape> shapes = new ArrayList<>();
            if (order != null) {
                for (char c : order.toCharArray()) {
                    MouthShape s = shape(String.valueOf(c));
                    if (s == null) {
                        problem("field 'sheet.order' names unknown viseme '" + c + "'; the mouth shapes are " + shapeNames());
                    } else if (shapes.contains(s)) {
                        problem("field 'sheet.order' names viseme '" + c + "' twice");
                    } else {
                        shapes.add(s);
                    }
                }
                for (MouthShape s : MouthShape.values()) {
                    if (!shapes.contains(s) && order.indexOf(s.name().charAt(0)) < 0) {
                        problem("field 'sheet.order' \"" + order + "\" leaves out viseme '" + s.name() + "'");
                    }
                }
            }
            return file == null || columns == null || columns < 1 ? null : new Sheet(file, columns, List.copyOf(shapes));
        }
    }

    static MouthShape shape(String name) {
        for (MouthShape s : MouthShape.values()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    static String shapeNames() {
        return "A, B, C, D, E, F, G, H and X";
    }

    /** What each Preston Blair shape is for, to label charts and messages. */
    public static String describe(MouthShape s) {
        return DESCRIPTIONS.get(s);
    }

    private static final Map<MouthShape, String> DESCRIPTIONS = new LinkedHashMap<>();
    static {
        DESCRIPTIONS.put(MouthShape.A, "M B P");
        DESCRIPTIONS.put(MouthShape.B, "K S T EE");
        DESCRIPTIONS.put(MouthShape.C, "EH AE");
        DESCRIPTIONS.put(MouthShape.D, "AA AY");
        DESCRIPTIONS.put(MouthShape.E, "AO OW");
        DESCRIPTIONS.put(MouthShape.F, "UW W OY");
        DESCRIPTIONS.put(MouthShape.G, "F V");
        DESCRIPTIONS.put(MouthShape.H, "L");
        DESCRIPTIONS.put(MouthShape.X, "REST");
    }
}
