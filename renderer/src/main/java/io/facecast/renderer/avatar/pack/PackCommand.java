package io.facecast.renderer.avatar.pack;

import io.facecast.renderer.avatar.FaceStyle;
import io.facecast.renderer.avatar.Region;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code renderer pack ...}: build, check, chart and export avatar packs (format: docs/avatar-packs.md). */
@Command(name = "pack", mixinStandardHelpOptions = true, description = "Build, validate and chart avatar packs.",
        subcommands = {PackCommand.Build.class, PackCommand.Validate.class, PackCommand.Chart.class,
                PackCommand.ExportDefault.class})
public final class PackCommand implements Callable<Integer> {
    /** Exit status of a pack that fails validation (each problem is printed on its own line). */
    public static final int INVALID = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    static int invalid(CommandLine.Model.CommandSpec spec, InvalidPackException e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(e.getMessage().substring(0, e.getMessage().indexOf(" is invalid") + " is invalid".length()) + ":");
        e.problems().forEach(p -> err.println("  " + p));
        err.flush();
        return INVALID;
    }

    /** A pack by folder, or by built-in name when no such folder exists. */
    static AvatarPack resolve(CommandLine.Model.CommandSpec spec, String packOrName) {
        Path p = Path.of(packOrName);
        if (Files.isDirectory(p)) {
            return PackLoader.load(PackFiles.folder(p));
        }
        if (BuiltInPacks.NAMES.contains(packOrName)) {
            return BuiltInPacks.get(packOrName);
        }
        throw new CommandLine.ParameterException(spec.commandLine(), "--pack '" + packOrName
                + "' is neither a pack folder nor a built-in pack (" + String.join(", ", BuiltInPacks.NAMES) + ")");
    }

    static Region region(String option, String value) {
        String[] parts = value.split(",");
        try {
            if (parts.length == 4) {
                return new Region(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                        Integer.parseInt(parts[2].trim()), Integer.parseInt(parts[3].trim()));
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(option + " " + value + ": " + e.getMessage());
        }
        throw new CommandLine.TypeConversionException(option + " " + value + ": give x,y,w,h (four even numbers)");
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = "Build a pack from a folder of images: idle.png (or idle*.png, idle/*.png), A.png ... H.png, "
                    + "X.png and optionally blink.png, each a full frame or region-sized. Writes avatar.json and validates.")
    static final class Build implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--from", required = true, description = "Folder of images.") Path from;
        @Option(names = "--out", required = true, description = "Pack folder to write (its name is the avatar's name).") Path out;
        @Option(names = "--mouth", description = "Mouth region x,y,w,h (default: detected from full-frame mouth images).") String mouth;
        @Option(names = "--eyes", description = "Eyes region x,y,w,h (default: detected from a full-frame blink.png).") String eyes;

        @Override
        public Integer call() throws IOException {
            String name = out.toAbsolutePath().normalize().getFileName().toString();
            if (!PackManifest.NAME.matcher(name).matches()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--out " + out + ": the folder name is the "
                        + "avatar's name and must be 1-64 characters of a-z, 0-9, '-' or '_'");
            }
            try {
                PackBuilder.Built b = PackBuilder.build(from, out, name,
                        mouth == null ? null : region("--mouth", mouth), eyes == null ? null : region("--eyes", eyes));
                PrintWriter o = spec.commandLine().getOut();
                b.notes().forEach(o::println);
                o.println("pack '" + name + "' written to " + out + " and valid");
                o.flush();
                return 0;
            } catch (InvalidPackException e) {
                return invalid(spec, e);
            }
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check a pack folder; prints every problem as 'file: problem'.")
    static final class Validate implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "DIR", description = "Pack folder.") Path dir;

        @Override
        public Integer call() {
            if (!Files.isDirectory(dir)) {
                throw new CommandLine.ParameterException(spec.commandLine(), dir + ": not a folder");
            }
            try {
                AvatarPack p = PackLoader.load(PackFiles.folder(dir));
                spec.commandLine().getOut().println("pack '" + p.name() + "' is valid: " + p.width() + "x" + p.height()
                        + ", " + p.idleFrames() + " idle frame(s), 9 mouth shapes, " + (p.blinks() ? "blinks" : "no blink"));
                spec.commandLine().getOut().flush();
                return 0;
            } catch (InvalidPackException e) {
                return invalid(spec, e);
            }
        }
    }

    @Command(name = "chart", mixinStandardHelpOptions = true,
            description = "Render a PNG with every mouth shape of a pack on its face.")
    static final class Chart implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--pack", required = true, description = "Pack folder, or the name of a built-in pack.") String pack;
        @Option(names = "--out", required = true, description = "PNG to write.") Path out;

        @Override
        public Integer call() throws IOException {
            try {
                BufferedImage chart = VisemeChart.render(resolve(spec, pack));
                if (out.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(out.toAbsolutePath().getParent());
                }
                PackWriter.png(chart, out);
                spec.commandLine().getOut().println("chart written to " + out + " (" + chart.getWidth() + "x" + chart.getHeight() + ")");
                spec.commandLine().getOut().flush();
                return 0;
            } catch (InvalidPackException e) {
                return invalid(spec, e);
            }
        }
    }

    @Command(name = "export-default", mixinStandardHelpOptions = true,
            description = "Write the procedural face as a pack (the source of the built-in packs).")
    static final class ExportDefault implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--out", required = true, description = "Pack folder to write.") Path out;
        @Option(names = "--style", defaultValue = "default",
                description = "Face style: default or ada (default ${DEFAULT-VALUE}); the pack is named after it.") String style;

        @Override
        public Integer call() throws IOException {
            FaceStyle s = switch (style) {
                case "default" -> FaceStyle.DEFAULT;
                case "ada" -> FaceStyle.ADA;
                default -> throw new CommandLine.ParameterException(spec.commandLine(),
                        "--style " + style + ": use one of " + List.of("default", "ada"));
            };
            String folder = out.toAbsolutePath().normalize().getFileName().toString();
            if (!folder.equals(s.name())) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--out " + out + ": a pack's folder is its name; "
                        + "write style '" + s.name() + "' to a folder named '" + s.name() + "'");
            }
            PackWriter.exportProcedural(s, out);
            PackLoader.load(PackFiles.folder(out));
            spec.commandLine().getOut().println("pack '" + s.name() + "' written to " + out);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
