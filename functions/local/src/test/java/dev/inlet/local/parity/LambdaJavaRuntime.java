package dev.inlet.local.parity;

import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.inlet.embedded.SamTemplate;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import software.amazon.awssdk.utilslite.SdkInternalThreadLocal;

/**
 * One Lambda execution environment of a function, as the managed Java runtime builds it: the shaded
 * jar unpacked as the task root (the working directory, which the runtime client loads with its own
 * class loader), AWS's runtime interface client as the JVM's classpath and entry point
 * ({@code AWSLambda <Handler>}), the function's environment plus what Lambda sets itself (log format
 * and level from LoggingConfig, name, memory, region, the Runtime API address), and
 * {@code _LAMBDA_TELEMETRY_LOG_FD} on a descriptor that appends to a file: every {@code LambdaLogger}
 * call becomes one frame there, while stdout and stderr stay plain lines, as in Lambda. Public for the
 * warm-work benchmark (benchmarks/, through this module's test-jar).
 */
public final class LambdaJavaRuntime implements AutoCloseable {
    /** Where a log event came from: a telemetry frame, or a line of stdout or stderr. */
    enum Source { FRAME, STDOUT, STDERR }

    /** One CloudWatch log event of one execution environment (run): a frame's payload, or one line of stdout/stderr. */
    record LogEvent(String function, String run, Source source, int frameType, long timestampMicros, String text) {
        /** Written after the runtime got its first invocation (the frame's timestamp says when). */
        boolean afterInit(long firstDispatchMicros) {
            return source == Source.FRAME && timestampMicros >= firstDispatchMicros;
        }
    }

    /**
     * The JDK an environment runs on. The template deploys {@code java21}; the build's JDK 17 and Temurin 25
     * bracket it (Lambda's own java21 image cannot run here).
     */
    record Jdk(Path home, int feature) {
        /** Where Temurin 25 is, unless {@code -Dinlet.parity.jdk25=<home>} says otherwise. */
        static final Path TEMURIN_25 = Path.of(System.getProperty("inlet.parity.jdk25",
                "/usr/lib/jvm/temurin-25-jdk-amd64"));

        /** The JDK running the build (and these tests). */
        static Jdk build() {
            return new Jdk(Path.of(System.getProperty("java.home")), Runtime.version().feature());
        }

        /** The JDK at {@code home}, its feature version read from its {@code release} file. */
        static Jdk at(Path home) throws IOException {
            for (String line : Files.readAllLines(home.resolve("release"), StandardCharsets.UTF_8)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return new Jdk(home, Integer.parseInt(v.split("[.+-]")[0]));
                }
            }
            throw new IOException("no JAVA_VERSION in " + home.resolve("release"));
        }
    }

    private final SamTemplate.Function function;
    private final Process process;
    private final RuntimeApiServer api;
    private final Path dir;
    private final List<String> requestIds = new ArrayList<>();

    private LambdaJavaRuntime(SamTemplate.Function function, Process process, RuntimeApiServer api, Path dir) {
        this.function = function;
        this.process = process;
        this.api = api;
        this.dir = dir;
    }

    /**
     * Starts the function's runtime.
     *
     * @param functionEnv the function's own variables (template.yaml plus the env file)
     * @param logging     the LoggingConfig to apply: LogFormat and ApplicationLogLevel
     */
    public static LambdaJavaRuntime start(SamTemplate template, SamTemplate.Function f, Map<String, String> functionEnv,
                                   Map<String, String> logging, Path dir) throws IOException {
        return start(template, f, functionEnv, logging, dir, Jdk.build());
    }

    /** {@link #start(SamTemplate, SamTemplate.Function, Map, Map, Path)} on the given JDK. */
    static LambdaJavaRuntime start(SamTemplate template, SamTemplate.Function f, Map<String, String> functionEnv,
                                   Map<String, String> logging, Path dir, Jdk jdk) throws IOException {
        Path jar = ParityFixtures.ROOT.resolve(f.codeUri());
        ParityFixtures.requireFresh(jar);
        Path task = taskRoot(jar, dir.getParent().resolve("task-roots"));
        deleteTree(dir);
        int memory = Integer.parseInt(property(template, f, "MemorySize", "128"));
        int timeout = Integer.parseInt(property(template, f, "Timeout", "3"));
        RuntimeApiServer api = new RuntimeApiServer(
                "arn:aws:lambda:us-east-1:000000000000:function:" + f.logicalId() + ":live", Duration.ofSeconds(timeout));

        Map<String, String> env = new LinkedHashMap<>(functionEnv);
        env.put("AWS_LAMBDA_FUNCTION_NAME", f.logicalId());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memory));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/parity");
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/12/01/[1]parity");
        env.put("AWS_LAMBDA_LOG_FORMAT", logging.get("LogFormat"));
        if (logging.containsKey("ApplicationLogLevel")) {
            env.put("AWS_LAMBDA_LOG_LEVEL", logging.get("ApplicationLogLevel"));
        }
        env.put("AWS_LAMBDA_RUNTIME_API", api.address());
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("AWS_DEFAULT_REGION", env.get("AWS_REGION"));
        env.put("LAMBDA_TASK_ROOT", task.toString());
        env.put("LAMBDA_RUNTIME_DIR", dir.toString());
        env.put("_HANDLER", f.handler());
        env.put("_LAMBDA_TELEMETRY_LOG_FD", "3");
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");

        String classpath = String.join(File.pathSeparator, codeSource(AWSLambda.class), codeSource(LambdaRuntime.class),
                codeSource(LambdaEventSerializers.class), codeSource(SdkInternalThreadLocal.class));
        List<String> command = new ArrayList<>(List.of("/bin/bash", "-c", "exec 3>>\"$0\"; exec \"$@\"",
                dir.resolve("frames.bin").toString(),
                jdk.home().resolve("bin/java").toString(),
                // As the managed runtime's launcher: heap from the memory setting, serial GC, CDS, and
                // java.io opened for the runtime client's telemetry descriptor.
                "-XX:MaxHeapSize=" + (memory * 85 / 100) + "m", "-XX:+UseSerialGC", "-Xshare:auto",
                "--add-opens=java.base/java.io=ALL-UNNAMED"));
        if (jdk.feature() >= 24) {
            // JDK 24+ warns on stderr when a library loads native code without this; the runtime client loads
            // its native Runtime API client (JEP 472).
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.add("-D" + NATIVE_CLIENT_PROPERTY + "=" + nativeClient());
        command.addAll(List.of("-cp", classpath, AWSLambda.class.getName(), f.handler()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(task.toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        return new LambdaJavaRuntime(f, pb.start(), api, dir);
    }

    /** One invocation through the Runtime API; the answer is what the runtime posted back. */
    public RuntimeApiServer.Answer invoke(byte[] event) throws Exception {
        RuntimeApiServer.Answer answer = api.invoke(event, process);
        requestIds.add(answer.requestId());
        return answer;
    }

    /** The runtime process's exit code, if it ends within {@code within} (it ended its environment itself). */
    java.util.Optional<Integer> exitWithin(Duration within) throws InterruptedException {
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)
                ? java.util.Optional.of(process.exitValue()) : java.util.Optional.empty();
    }

    /** CPU time (user and system, all threads) the function's JVM has used so far; Linux counts it in 10 ms ticks. */
    public Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("no CPU time for the runtime's process"));
    }

    List<String> requestIds() {
        return requestIds;
    }

    long firstDispatchMicros() {
        return api.firstDispatchMicros();
    }

    /** Stops the environment (as Lambda does when it retires it) and returns its log events in order. */
    List<LogEvent> stop() throws IOException {
        close();
        List<LogEvent> events = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(Files.newInputStream(dir.resolve("frames.bin")))) {
            while (true) {
                int type;
                try {
                    type = in.readInt();
                } catch (EOFException end) {
                    break;
                }
                int length = in.readInt();
                long micros = in.readLong();
                byte[] payload = new byte[length];
                in.readFully(payload);
                events.add(new LogEvent(function.logicalId(), dir.getFileName().toString(), Source.FRAME, type, micros,
                        new String(payload, StandardCharsets.UTF_8)));
            }
        }
        for (Source s : List.of(Source.STDOUT, Source.STDERR)) {
            Path file = dir.resolve(s == Source.STDOUT ? "stdout.txt" : "stderr.txt");
            Files.readAllLines(file, StandardCharsets.UTF_8).forEach(
                    line -> events.add(new LogEvent(function.logicalId(), dir.getFileName().toString(), s, 0, 0, line)));
        }
        return events;
    }

    @Override
    public void close() {
        // The runtime first (it waits in invocation/next, as between invocations in Lambda), then its API.
        // Lambda ends an environment without extensions with SIGKILL: so does this.
        try {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            api.close();
        }
    }

    /** A function's property, else the template's Globals, else Lambda's default. */
    static String property(SamTemplate template, SamTemplate.Function f, String name, String fallback) {
        String own = f.properties().path(name).asText("");
        return !own.isEmpty() ? own : template.root().path("Globals").path("Function").path(name).asText(fallback);
    }

    /** The function's LoggingConfig (its own keys over Globals'). */
    public static Map<String, String> loggingConfig(SamTemplate template, SamTemplate.Function f) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("LogFormat", "Text");
        template.root().path("Globals").path("Function").path("LoggingConfig").fields()
                .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        f.properties().path("LoggingConfig").properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /**
     * The jar unpacked, as Lambda unpacks a deployment package into /var/task: once per built jar (the
     * stamp holds its size and time), shared by the environments of the run.
     */
    private static Path taskRoot(Path jar, Path roots) throws IOException {
        Path root = roots.resolve(jar.getFileName().toString());
        Path stamp = roots.resolve(jar.getFileName() + ".stamp");
        String built = jar.getFileName() + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
        if (Files.isRegularFile(stamp) && Files.readString(stamp).equals(built) && Files.isDirectory(root)) {
            return root;
        }
        deleteTree(root);
        Files.deleteIfExists(stamp);
        unzip(jar, root);
        Files.writeString(stamp, built);
        return root;
    }

    /** The runtime client's own switch: load the native Runtime API client from this path (its JniHelper). */
    private static final String NATIVE_CLIENT_PROPERTY =
            "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
    private static Path nativeClient;

    /**
     * The runtime client's native Runtime API client, extracted once for every environment this JVM starts.
     * Without it the client copies its library to {@code /tmp/.libaws-lambda-jni.so} at every start, replacing
     * the file, then loads it. In Lambda each environment has a /tmp of its own; here environments share one,
     * so one starting while another maps the file being replaced died with SIGBUS (CI, 2026-12-05, two
     * environments started back to back). The client loads the same library from this private copy instead.
     */
    private static synchronized Path nativeClient() throws IOException {
        if (nativeClient == null) {
            String arch = System.getProperty("os.arch").equals("aarch64") ? "aarch_64" : "x86_64";
            String library = "/jni/libaws-lambda-jni.linux-" + arch + ".so";
            Path copy = Files.createTempFile("inlet-parity-lambda-jni-", ".so");
            copy.toFile().deleteOnExit();
            try (var in = AWSLambda.class.getResourceAsStream(library)) {
                if (in == null) {
                    throw new IOException("the runtime interface client has no " + library);
                }
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            nativeClient = copy;
        }
        return nativeClient;
    }

    private static String codeSource(Class<?> type) {
        return new File(type.getProtectionDomain().getCodeSource().getLocation().getPath()).getPath();
    }

    private static void unzip(Path jar, Path target) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                Path out = target.resolve(e.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry outside the task root: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.write(out, zip.readAllBytes());
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            Files.createDirectories(dir);
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }
}
