package dev.inlet.bench;

import dev.inlet.core.config.Env;
import dev.inlet.embedded.EmbeddedBackends;
import dev.inlet.embedded.LocalResources;
import dev.inlet.embedded.MotoServer;
import dev.inlet.embedded.SamTemplate;
import dev.inlet.local.emulator.HttpApiEvents;
import dev.inlet.local.samples.RheoSamples;
import dev.inlet.local.samples.SampleRequest;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cold start, side by side: fresh JVMs on the Rheo receiver's shaded jar with the template's
 * JAVA_TOOL_OPTIONS, against embedded backends and moto's Secrets Manager started here (outside the
 * measured processes), alternating floor and Inlet run by run. Wall time from process start to the first
 * webhook verified, stored and queued (DONE on stdout). Inlet and the floor both read the secret list
 * from Secrets Manager by ARN, as deployed; the Powertools peer reads it from its environment, as it
 * did before. Usage: ColdStart [runs=15] | classes | memory [runs] | flags [runs].
 *
 * <p>Rows: floor, Inlet, Inlet + X-Ray SDK (the same receiver with the X-Ray SDK's SDK v2 instrumentor,
 * {@code benchmarks/inlet-xray}, traced as in Lambda: {@code _X_AMZN_TRACE_ID} sampled, the daemon address
 * a UDP socket of this process that only counts what arrives), the Powertools peer (template flags and JVM
 * defaults), the Micronaut peer. {@code -Dbench.compare=<jar>} adds a row: Inlet's child on another build
 * of the Rheo receiver's jar (a before/after of a change, side by side on a busy machine).
 */
public final class ColdStart {
    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        boolean memory = args.length > 0 && args[0].equals("memory");
        boolean flags = args.length > 0 && args[0].equals("flags");
        boolean classes = args.length > 0 && args[0].equals("classes");
        int runs = memory || flags ? (args.length > 1 ? Integer.parseInt(args[1]) : 9)
                : args.length > 0 && !classes ? Integer.parseInt(args[0]) : 15;
        Path root = SamTemplate.locate().getParent();
        SamTemplate template = SamTemplate.load(root.resolve("template.yaml"));
        String toolOptions = template.root().path("Globals").path("Function").path("Environment")
                .path("Variables").path("JAVA_TOOL_OPTIONS").asText();
        Path jar = root.resolve("functions/rheo/target/rheo-receiver.jar");
        Path peerJar = root.resolve("benchmarks/peer/target/peer-receiver.jar");
        Path micronautJar = root.resolve("benchmarks/peer-micronaut/target/peer-micronaut-receiver.jar");
        Path xrayJar = root.resolve("benchmarks/inlet-xray/target/inlet-xray-receiver.jar");
        Optional<Path> compareJar = Optional.ofNullable(System.getProperty("bench.compare")).map(Path::of);
        String serialization = new File(com.amazonaws.services.lambda.runtime.serialization.events
                .LambdaEventSerializers.class.getProtectionDomain().getCodeSource().getLocation().getPath()).getPath();
        String self = new File(ColdStart.class.getProtectionDomain().getCodeSource().getLocation().getPath()).getPath();
        try (EmbeddedBackends backends = EmbeddedBackends.start(0, 0); MotoServer moto = MotoServer.start();
             XrayDaemonStandIn daemon = XrayDaemonStandIn.start()) {
            LocalResources resources = LocalResources.create(template, backends, "", Optional.empty());
            Map<String, String> env = new HashMap<>(backends.awsEnvironment());
            env.put("EVENTS_TABLE", resources.ref("EventsTable").orElseThrow());
            env.put("EVENTS_QUEUE_URL", resources.ref("EventsQueue").orElseThrow());
            env.put("RHEO_WEBHOOK_SECRETS", "whsec_bench_test_not_a_real_secret");
            env.put("IDEMPOTENCY_TABLE", PeerTable.create(backends, "peer-idempotency"));
            String extra = System.getProperty("bench.jvm", "");
            env.put("JAVA_TOOL_OPTIONS", (toolOptions + " " + extra).trim());
            if (Boolean.getBoolean("bench.phases")) {
                env.put("BENCH_PHASES", "1");
            }
            // Inlet and the floor: the secret list from Secrets Manager by ARN, read in the measured process.
            Map<String, String> deployed = new HashMap<>(env);
            deployed.remove("RHEO_WEBHOOK_SECRETS");
            deployed.put("SECRETS_MANAGER_ENDPOINT", moto.endpoint().toString());
            deployed.put("RHEO_WEBHOOK_SECRETS_ARN", createSecret(deployed, env.get("RHEO_WEBHOOK_SECRETS")));
            String classpath = jar + File.pathSeparator + serialization + File.pathSeparator + self;
            String peerClasspath = peerJar + File.pathSeparator + serialization + File.pathSeparator + self;
            String micronautClasspath = micronautJar + File.pathSeparator + serialization + File.pathSeparator + self;
            String xrayClasspath = xrayJar + File.pathSeparator + serialization + File.pathSeparator + self;
            String compareClasspath = compareJar.map(j -> j + File.pathSeparator + serialization + File.pathSeparator
                    + self).orElse("");
            // As in Lambda with Tracing: Active: the runtime sets the trace header (sampled) and the daemon
            // address; LAMBDA_TASK_ROOT makes the recorder use its Lambda segment context.
            Map<String, String> traced = new HashMap<>(deployed);
            traced.put("LAMBDA_TASK_ROOT", root.toString());
            traced.put("_X_AMZN_TRACE_ID", XrayDaemonStandIn.TRACE_HEADER);
            traced.put("AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1:" + daemon.port());
            traced.put("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR");
            boolean withXray = Files.exists(xrayJar);
            if (classes) {
                classBreakdown(env, deployed, traced, classpath, withXray ? xrayClasspath : null, daemon);
                return;
            }
            if (memory) {
                memorySweep(runs, env, deployed, classpath, toolOptions);
                return;
            }
            if (flags) {
                flagSweep(runs, env, deployed, classpath, toolOptions);
                return;
            }
            boolean withPeer = Files.exists(peerJar);
            boolean withMicronaut = Files.exists(micronautJar);
            List<Long> micronaut = new ArrayList<>();
            List<Long> xray = new ArrayList<>();
            List<Long> compare = new ArrayList<>();
            List<Long> floor = new ArrayList<>();
            List<Long> inlet = new ArrayList<>();
            List<Long> peer = new ArrayList<>();
            List<Long> peerDefaults = new ArrayList<>();
            Map<String, String> jvmDefaults = new HashMap<>(env);
            jvmDefaults.remove("JAVA_TOOL_OPTIONS");
            for (int i = 0; i < runs + 1; i++) {
                Path event = eventFile(env, "cold" + i);
                long f = run(classpath, deployed, "floor", "f" + i + "-" + System.nanoTime());
                long c = run(classpath, deployed, "inlet", event.toString());
                long x = withXray ? run(xrayClasspath, traced, "inlet", eventFile(env, "xr" + i).toString()) : 0;
                long b = compareJar.isPresent()
                        ? run(compareClasspath, deployed, "inlet", eventFile(env, "cmp" + i).toString()) : 0;
                long p = withPeer ? run(peerClasspath, env, "peer", eventFile(env, "peer" + i).toString()) : 0;
                long d = withPeer ? run(peerClasspath, jvmDefaults, "peer", eventFile(env, "peerd" + i).toString()) : 0;
                long m = withMicronaut ? run(micronautClasspath, env, "micronaut", eventFile(env, "mn" + i).toString()) : 0;
                if (i > 0) {           // the first round warms the OS file cache; it is not counted
                    floor.add(f);
                    inlet.add(c);
                    peer.add(p);
                    peerDefaults.add(d);
                    micronaut.add(m);
                    xray.add(x);
                    compare.add(b);
                }
            }
            long fm = median(floor);
            long im = median(inlet);
            System.out.printf("JAVA_TOOL_OPTIONS=%s  runs=%d%n", toolOptions, runs);
            System.out.printf("floor  median %d ms  (min %d, max %d)%n", fm, min(floor), max(floor));
            System.out.printf("inlet  median %d ms  (min %d, max %d)%n", im, min(inlet), max(inlet));
            if (withXray) {
                long xm = median(xray);
                System.out.printf("inlet + X-Ray SDK  median %d ms  (min %d, max %d)  aws-xray-recorder-sdk-aws-sdk-v2-instrumentor "
                        + "2.20.0, traced (sampled); %d segment documents reached the daemon stand-in%n", xm, min(xray),
                        max(xray), daemon.documents());
                System.out.printf("inlet + X-Ray SDK / inlet = %.2f  (+%d ms)%n", (double) xm / im, xm - im);
                System.out.printf("inlet-xray-receiver.jar %.2f MB%n", Files.size(xrayJar) / 1e6);
            } else {
                System.out.println("inlet + X-Ray SDK not built (benchmarks/inlet-xray/target/inlet-xray-receiver.jar missing)");
            }
            if (compareJar.isPresent()) {
                long cm = median(compare);
                System.out.printf("inlet on %s  median %d ms  (min %d, max %d);  / inlet = %.2f, / floor = %.2f%n",
                        compareJar.get(), cm, min(compare), max(compare), (double) cm / im, (double) cm / fm);
            }
            if (withPeer) {
                long pm = median(peer);
                System.out.printf("peer   median %d ms  (min %d, max %d)  Powertools idempotency 1.15.0, AspectJ, SDK defaults%n",
                        pm, min(peer), max(peer));
                long dm = median(peerDefaults);
                System.out.printf("peer, JVM default flags  median %d ms  (min %d, max %d)%n", dm, min(peerDefaults),
                        max(peerDefaults));
                System.out.printf("inlet / peer  = %.2f  (target <= 0.5; same JVM flags)%n", (double) im / pm);
                System.out.printf("inlet / peer with JVM default flags = %.2f%n", (double) im / dm);
                System.out.printf("floor / peer  = %.2f%n", (double) fm / pm);
                System.out.printf("peer-receiver.jar %.2f MB%n", Files.size(peerJar) / 1e6);
            } else {
                System.out.println("peer   not built (benchmarks/peer/target/peer-receiver.jar missing)");
            }
            if (withMicronaut) {
                long mm = median(micronaut);
                System.out.printf("micronaut median %d ms  (min %d, max %d)  micronaut-function-aws 4.11.0, core 4.10.15, "
                        + "serde-jackson 2.16.2, SDK defaults; same JVM flags, no priming%n", mm, min(micronaut), max(micronaut));
                System.out.printf("inlet / micronaut = %.2f%n", (double) im / mm);
                System.out.printf("peer-micronaut-receiver.jar %.2f MB%n", Files.size(micronautJar) / 1e6);
            } else {
                System.out.println("micronaut not built (benchmarks/peer-micronaut/target/peer-micronaut-receiver.jar missing)");
            }
            System.out.printf("inlet / floor = %.2f  (target <= 1.15, issue 27)%n", (double) im / fm);
            System.out.printf("rheo-receiver.jar %.2f MB%n", Files.size(jar) / 1e6);
        }
    }

    /**
     * The smallest memory setting whose cold start stays within 10 % of the 1024 MB figure. Stand-in
     * for a Lambda memory setting: the JVM is told the machine has that much memory (MaxRAM) and gets
     * the heap the Lambda Java runtime gives it (about 85 %). CPU share, which Lambda also scales with
     * memory, is not modelled here. Settings alternate run by run.
     */
    private static void memorySweep(int runs, Map<String, String> env, Map<String, String> deployed,
                                    String classpath, String toolOptions) throws Exception {
        int[] settings = {1024, 768, 512, 384, 256, 192, 128};
        Map<Integer, List<Long>> times = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
        List<Long> cpu = new ArrayList<>();
        for (int i = 0; i < runs + 1; i++) {
            for (int mb : settings) {
                Map<String, String> e = new HashMap<>(deployed);
                e.put("JAVA_TOOL_OPTIONS", toolOptions + " -XX:MaxRAM=" + mb + "m -Xmx" + (mb * 85 / 100) + "m");
                long t = run(classpath, e, "inlet", eventFile(env, "mem" + mb + "-" + i).toString());
                if (i > 0) {
                    times.computeIfAbsent(mb, k -> new ArrayList<>()).add(t);
                    cpu.add(lastCpuMillis);
                }
            }
        }
        long reference = median(times.get(1024));
        int smallest = 1024;
        boolean within = true;   // descending: the smallest setting before the first one that is too slow
        System.out.printf("JAVA_TOOL_OPTIONS=%s  runs=%d%n", toolOptions, runs);
        for (Map.Entry<Integer, List<Long>> m : times.entrySet()) {
            long med = median(m.getValue());
            double ratio = (double) med / reference;
            System.out.printf("%5d MB  median %d ms  (min %d, max %d)  %.2fx of 1024 MB%n", m.getKey(), med,
                    min(m.getValue()), max(m.getValue()), ratio);
            within = within && ratio <= 1.10;
            if (within) {
                smallest = m.getKey();
            }
        }
        System.out.printf("smallest setting within 10 %% of 1024 MB, memory limits only: %d MB%n", smallest);
        // Lambda also gives a function CPU in proportion to memory (one vCPU at 1769 MB). A cold start
        // is CPU-bound, so its time at M MB is about the CPU it needs divided by that share.
        long cpuMedian = median(cpu);
        System.out.printf("CPU time per cold start (all threads, median): %d ms%n", cpuMedian);
        for (int mb : new int[] {2048, 1769, 1024, 768, 512, 256, 128}) {
            double share = Math.min(1.0, mb / 1769.0);
            System.out.printf("  model: %4d MB -> %.2f vCPU -> about %d ms of CPU-bound start%n", mb, share,
                    Math.round(cpuMedian / share));
        }
    }

    /** JAVA_TOOL_OPTIONS candidates for the receivers, side by side on Inlet's cold start. */
    private static void flagSweep(int runs, Map<String, String> env, Map<String, String> deployed,
                                  String classpath, String toolOptions) throws Exception {
        List<String> candidates = List.of("", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1",
                "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
                "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -XX:-UsePerfData");
        Map<String, List<Long>> times = new java.util.LinkedHashMap<>();
        for (int i = 0; i < runs + 1; i++) {
            for (String flags : candidates) {
                Map<String, String> e = new HashMap<>(deployed);
                e.put("JAVA_TOOL_OPTIONS", flags);
                long t = run(classpath, e, "inlet", eventFile(env, "flags" + candidates.indexOf(flags) + "-" + i).toString());
                if (i > 0) {
                    times.computeIfAbsent(flags, k -> new ArrayList<>()).add(t);
                }
            }
        }
        long none = median(times.get(""));
        System.out.printf("template.yaml JAVA_TOOL_OPTIONS: %s  runs=%d%n", toolOptions, runs);
        times.forEach((flags, t) -> System.out.printf("median %5d ms  (min %d, max %d)  %.2fx  [%s]%n", median(t),
                min(t), max(t), (double) median(t) / none, flags.isEmpty() ? "JVM defaults" : flags));
    }

    /**
     * One child of each kind (floor, Inlet, Inlet + X-Ray SDK), after one unlogged round that warms the OS
     * file cache, each with {@code -Xlog:class+load} to a file: the classes each loaded, by origin and
     * library, and what Inlet loads beyond the floor. Counts, not times: valid on a busy machine too.
     */
    private static void classBreakdown(Map<String, String> env, Map<String, String> deployed,
                                       Map<String, String> traced, String classpath, String xrayClasspath,
                                       XrayDaemonStandIn daemon) throws Exception {
        Path dir = Files.createTempDirectory("classload");
        Map<String, ClassLoads> loads = new java.util.LinkedHashMap<>();
        for (int round = 0; round < 2; round++) {
            String log = round == 0 ? "" : " -Xlog:class+load:file=" + dir + "/";
            loads.put("floor", logged(classpath, deployed, "floor", "cl-f" + round + "-" + System.nanoTime(), log, dir, "floor"));
            loads.put("inlet", logged(classpath, deployed, "inlet", eventFile(env, "cl" + round).toString(), log, dir, "inlet"));
            if (xrayClasspath != null) {
                loads.put("inlet + X-Ray SDK", logged(xrayClasspath, traced, "inlet", eventFile(env, "clx" + round).toString(),
                        log, dir, "xray"));
            }
        }
        ClassLoads floor = loads.get("floor");
        ClassLoads inlet = loads.get("inlet");
        java.util.Set<String> groups = new java.util.TreeSet<>(ClassLoads::compareGroups);
        loads.values().forEach(l -> groups.addAll(l.byGroup().keySet()));
        System.out.printf("%-72s", "classes loaded up to DONE (-Xlog:class+load)");
        loads.keySet().forEach(k -> System.out.printf(" | %8s", k.length() > 8 ? "+X-Ray" : k));
        System.out.printf(" | inlet - floor%n");
        for (String g : groups) {
            System.out.printf("%-72s", g);
            loads.values().forEach(l -> System.out.printf(" | %8d", l.byGroup().getOrDefault(g, 0)));
            System.out.printf(" | %+d%n", inlet.byGroup().getOrDefault(g, 0) - floor.byGroup().getOrDefault(g, 0));
        }
        System.out.printf("%-72s", "total");
        loads.values().forEach(l -> System.out.printf(" | %8d", l.total()));
        System.out.printf(" | %+d%n", inlet.total() - floor.total());
        System.out.printf("%nloaded by Inlet and not by the floor: %d classes%n",
                inlet.extra(floor).values().stream().mapToInt(Integer::intValue).sum());
        inlet.beyond(floor).forEach((g, c) -> System.out.printf("  %4d  %s%n", c, g));
        System.out.println("  biggest packages among them:");
        inlet.topPackagesBeyond(floor, 15).forEach(e -> System.out.printf("  %4d  %s%n", e.getValue(), e.getKey()));
        if (loads.containsKey("inlet + X-Ray SDK")) {
            ClassLoads x = loads.get("inlet + X-Ray SDK");
            System.out.printf("%nloaded by Inlet + X-Ray SDK and not by Inlet: %d classes (%d segment documents reached the "
                    + "daemon stand-in)%n", x.extra(inlet).values().stream().mapToInt(Integer::intValue).sum(), daemon.documents());
            x.beyond(inlet).forEach((g, c) -> System.out.printf("  %4d  %s%n", c, g));
            System.out.println("  biggest packages among them:");
            x.topPackagesBeyond(inlet, 12).forEach(e -> System.out.printf("  %4d  %s%n", e.getValue(), e.getKey()));
        }
        System.out.println("logs: " + dir);
    }

    private static ClassLoads logged(String classpath, Map<String, String> env, String mode, String arg, String log,
                                     Path dir, String name) throws Exception {
        Map<String, String> e = new HashMap<>(env);
        e.put("JAVA_TOOL_OPTIONS", (env.get("JAVA_TOOL_OPTIONS") + log + (log.isEmpty() ? "" : name + ".log")).trim());
        run(classpath, e, mode, arg);
        return log.isEmpty() ? null : ClassLoads.read(dir.resolve(name + ".log"));
    }

    /** Creates the secret in moto (with a client of this process, not the measured one); returns its ARN. */
    private static String createSecret(Map<String, String> env, String value) {
        try (var sm = new dev.inlet.aws.AwsClients(dev.inlet.aws.BackendSettings.from(Env.of(env))).secretsManager()) {
            return sm.createSecret(r -> r.name("inlet/bench-" + System.nanoTime()).secretString(value)).arn();
        }
    }

    private static Path eventFile(Map<String, String> env, String id) throws Exception {
        Path event = Files.createTempFile("cold", ".json");
        event.toFile().deleteOnExit();
        SampleRequest r = new RheoSamples().build("item.sold", Env.of(env), Instant.now(), id);
        Files.writeString(event, HttpApiEvents.json("POST", r.path(), r.route(), r.pathParameters(),
                r.headers(), r.body(), "req-" + id, Instant.now()).toString());
        return event;
    }

    /** The CPU time (all threads) the last child used up to DONE. */
    private static long lastCpuMillis;

    private static long run(String classpath, Map<String, String> env, String mode, String arg) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                classpath, ColdStartChild.class.getName(), mode, arg);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.contains("DONE")) {
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    String cpu = in.readLine();
                    lastCpuMillis = cpu != null && cpu.startsWith("CPU ") ? Long.parseLong(cpu.substring(4)) : -1;
                    p.waitFor();
                    return ms;
                }
                if (line.contains("PHASES") && Boolean.getBoolean("bench.phases")) {
                    System.out.println(line.substring(line.indexOf("PHASES")));
                }
                output.append(line).append('\n');
            }
        }
        throw new IllegalStateException(mode + " failed:\n" + output);
    }

    static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(Long::compare);
        return s.get(s.size() / 2);
    }

    private static long min(List<Long> xs) {
        return xs.stream().mapToLong(Long::longValue).min().orElse(0);
    }

    private static long max(List<Long> xs) {
        return xs.stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
