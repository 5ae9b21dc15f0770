package io.facecast.client;

import io.facecast.api.v1.CreateSessionRequest;
import io.facecast.api.v1.Session;
import io.facecast.api.v1.SessionEvent;
import io.facecast.api.v1.VideoOptions;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Command-line client. {@code record} is the all-in-one path (create, negotiate, speak, record, close). The other
 * subcommands act on a session by id; they are useful only while that session lives on, i.e. while some other
 * client keeps it open (a session with no event stream and no connected peer is closed after its grace period).
 *
 * <p>Exit codes: 0 ok, 2 usage error, 3 the server refused (status code and message printed), 4 the server could
 * not be reached or media did not arrive, 1 anything else.
 */
@Command(name = "facecast", mixinStandardHelpOptions = true, version = "facecast 0.1.0",
        description = "Talk to a Facecast signaling server.",
        subcommands = {FacecastCli.Create.class, FacecastCli.Speak.class, FacecastCli.Interrupt.class,
                FacecastCli.Close.class, FacecastCli.Events.class, FacecastCli.SpeakWav.class, RecordCommand.class})
public final class FacecastCli implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_REFUSED = 3;
    public static final int EXIT_UNREACHABLE = 4;

    @Option(names = "--target", defaultValue = FacecastClient.DEFAULT_TARGET, scope = CommandLine.ScopeType.INHERIT,
            description = "Signaling server host:port (plaintext). Default: ${DEFAULT-VALUE}")
    String target;

    @Option(names = "--api-key", scope = CommandLine.ScopeType.INHERIT, paramLabel = "KEY",
            description = "API key (or access token) sent as 'authorization: Bearer'. Default: $FACECAST_API_KEY, "
                    + "else the first key in --api-key-file.")
    String apiKey;

    @Option(names = "--api-key-file", scope = CommandLine.ScopeType.INHERIT, paramLabel = "FILE",
            description = "File holding the API key. Default: $FACECAST_HOME/api-key or ~/.facecast/api-key (written "
                    + "by the local stack's signaling).")
    java.nio.file.Path apiKeyFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Stopped early (Ctrl-C): the same for the native threads still running while the JVM exits.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (ReceiverFactories.inUse()) {
                System.err.flush();
                io.facecast.rtc.NativeOutput.silenceStdout();
            }
        }, "quiet-native-exit"));
        int exit = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        // Everything is said: webrtc-java's teardown noise on native stdout goes nowhere (see NativeOutput).
        if (ReceiverFactories.inUse()) {
            System.err.flush();
            io.facecast.rtc.NativeOutput.silenceStdout();
            ReceiverFactories.disposeShared();
        }
        System.exit(exit);
    }

    /** Runs the CLI and returns its exit code (tests call this instead of main). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new FacecastCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter errors = commandLine.getErr();
            if (e instanceof StatusRuntimeException sre) {
                Status status = sre.getStatus();
                if (status.getCode() == Status.Code.UNAVAILABLE || status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
                    errors.println("error: cannot reach the server at " + targetOf(commandLine) + ": "
                            + status.getCode() + (status.getDescription() == null ? "" : ": "
                            + status.getDescription()));
                    return EXIT_UNREACHABLE;
                }
                errors.println("error: server refused: " + status.getCode() + ": "
                        + (status.getDescription() == null ? "(no message)" : status.getDescription()));
                if (status.getCode() == Status.Code.UNAUTHENTICATED) {
                    errors.println("hint: give the API key with --api-key, FACECAST_API_KEY or the file "
                            + ApiKeys.defaultFile() + " (the local stack writes it)");
                }
                return EXIT_REFUSED;
            }
            if (e instanceof MediaDidNotArriveException) {
                errors.println("error: " + e.getMessage());
                return EXIT_UNREACHABLE;
            }
            errors.println("error: " + e);
            return 1;
        });
        return cli.execute(args);
    }

    private static String targetOf(CommandLine commandLine) {
        CommandLine root = commandLine;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        return ((FacecastCli) root.getCommand()).target;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }

    FacecastClient client() {
        try {
            return FacecastClient.connect(target, ApiKeys.find(apiKey, apiKeyFile));
        } catch (java.io.IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Options shared by commands that create sessions. */
    static final class SessionOptions {
        @Option(names = "--avatar", defaultValue = "", description = "Avatar name (empty: server default)")
        String avatar;
        @Option(names = "--voice", defaultValue = "", description = "Voice name (empty: server default)")
        String voice;
        @Option(names = "--width", defaultValue = "0", description = "Video width (0: server default)")
        int width;
        @Option(names = "--height", defaultValue = "0", description = "Video height (0: server default)")
        int height;
        @Option(names = "--fps", defaultValue = "0", description = "Video fps: 24, 25 or 30 (0: server default)")
        int fps;

        CreateSessionRequest toRequest() {
            return CreateSessionRequest.newBuilder().setAvatar(avatar).setVoice(voice)
                    .setVideo(VideoOptions.newBuilder().setWidth(width).setHeight(height).setFps(fps)).build();
        }
    }

    @Command(name = "create", description = "Create a session and print its id. The session is closed by the "
            + "server after its grace period unless a client follows it; see 'record' for the all-in-one path.")
    static final class Create implements Runnable {
        @CommandLine.ParentCommand
        FacecastCli parent;
        @CommandLine.Mixin
        SessionOptions options;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            try (FacecastClient client = parent.client()) {
                Session session = client.createSession(options.toRequest());
                spec.commandLine().getOut().println(session.getSessionId());
            }
        }
    }

    @Command(name = "speak", description = "Queue TEXT for the avatar of SESSION to say; prints the utterance id.")
    static final class Speak implements Runnable {
        @CommandLine.ParentCommand
        FacecastCli parent;
        @Parameters(index = "0", paramLabel = "SESSION")
        String sessionId;
        @Parameters(index = "1", paramLabel = "TEXT")
        String text;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            try (FacecastClient client = parent.client()) {
                spec.commandLine().getOut().println(client.speak(sessionId, text));
            }
        }
    }

    @Command(name = "speak-wav", description = "Have the avatar of SESSION say the audio of a WAV FILE (16-bit PCM, "
            + "lip-synced from the signal); prints the utterance id.")
    static final class SpeakWav implements java.util.concurrent.Callable<Integer> {
        @CommandLine.ParentCommand
        FacecastCli parent;
        @Parameters(index = "0", paramLabel = "SESSION")
        String sessionId;
        @Parameters(index = "1", paramLabel = "FILE")
        java.nio.file.Path file;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (FacecastClient client = parent.client()) {
                spec.commandLine().getOut().println(client.speakWav(sessionId, file));
            }
            return 0;
        }
    }

    @Command(name = "interrupt", description = "Stop what SESSION's avatar is saying; prints the utterance cut "
            + "short (0 if idle).")
    static final class Interrupt implements Runnable {
        @CommandLine.ParentCommand
        FacecastCli parent;
        @Parameters(index = "0", paramLabel = "SESSION")
        String sessionId;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            try (FacecastClient client = parent.client()) {
                spec.commandLine().getOut().println(client.interrupt(sessionId));
            }
        }
    }

    @Command(name = "close", description = "Close SESSION (idempotent).")
    static final class Close implements Runnable {
        @CommandLine.ParentCommand
        FacecastCli parent;
        @Parameters(index = "0", paramLabel = "SESSION")
        String sessionId;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            try (FacecastClient client = parent.client()) {
                client.closeSession(sessionId);
                spec.commandLine().getOut().println("closed " + sessionId);
            }
        }
    }

    @Command(name = "events", description = "Print SESSION's events as they arrive, until the stream ends.")
    static final class Events implements java.util.concurrent.Callable<Integer> {
        @CommandLine.ParentCommand
        FacecastCli parent;
        @Parameters(index = "0", paramLabel = "SESSION")
        String sessionId;
        @Option(names = "--seconds", defaultValue = "0", description = "Stop after this many seconds (0: never)")
        int seconds;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            CountDownLatch done = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            try (FacecastClient client = parent.client();
                 FacecastClient.EventSubscription ignored = client.watchEvents(sessionId,
                         new StreamObserver<SessionEvent>() {
                             @Override
                             public void onNext(SessionEvent event) {
                                 synchronized (out) {
                                     out.println(event.getTimestampUs() + " " + EventFormat.describe(event));
                                 }
                             }

                             @Override
                             public void onError(Throwable t) {
                                 failure.set(t);
                                 done.countDown();
                             }

                             @Override
                             public void onCompleted() {
                                 done.countDown();
                             }
                         })) {
                if (seconds > 0) {
                    done.await(seconds, TimeUnit.SECONDS);
                } else {
                    done.await();
                }
            }
            Throwable t = failure.get();
            if (t instanceof StatusRuntimeException sre) {
                throw sre;
            }
            return EXIT_OK;
        }
    }
}
