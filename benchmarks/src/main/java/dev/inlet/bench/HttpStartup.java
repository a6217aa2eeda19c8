package dev.inlet.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code scripts/bench.sh httpstart [runs]}: what the local HTTP server costs a fresh JVM. Each run starts
 * two children in turn, alternating which goes first: the JDK's {@code com.sun.net.httpserver} with a bounded
 * executor, and {@code ./inlet local}'s server (Jetty 12 core behind {@code LocalHttpServer}); each starts its
 * server on a free port, serves one request to the same handler and prints {@code DONE <ms in main>}. The
 * first run is a warm-up (disk cache) and is not counted. Wall time is from process start to DONE.
 */
public final class HttpStartup {
    private HttpStartup() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        String classpath = System.getProperty("java.class.path");
        List<long[]> jdk = new ArrayList<>();
        List<long[]> jetty = new ArrayList<>();
        for (int run = 0; run <= runs; run++) {
            boolean jdkFirst = run % 2 == 0;
            for (String kind : jdkFirst ? new String[] {"jdk", "jetty"} : new String[] {"jetty", "jdk"}) {
                long[] t = child(java, classpath, kind);
                if (run > 0) {
                    (kind.equals("jdk") ? jdk : jetty).add(t);
                }
            }
        }
        System.out.printf("fresh JVM to first response, median of %d (wall / in main, ms)%n", runs);
        System.out.printf("  JDK HttpServer, bounded executor: %d / %d%n", median(jdk, 0), median(jdk, 1));
        System.out.printf("  Jetty 12 (LocalHttpServer):       %d / %d%n", median(jetty, 0), median(jetty, 1));
        System.out.printf("  Jetty - JDK:                      %+d / %+d%n", median(jetty, 0) - median(jdk, 0),
                median(jetty, 1) - median(jdk, 1));
    }

    private static long[] child(String java, String classpath, String kind) throws Exception {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(java, "-cp", classpath, HttpStartupChild.class.getName(), kind)
                .redirectErrorStream(true).start();
        long inMain = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("DONE ")) {
                    inMain = Long.parseLong(line.substring(5).trim());
                    break;
                }
            }
        }
        long wall = (System.nanoTime() - start) / 1_000_000;
        p.destroy();
        p.waitFor();
        if (inMain < 0) {
            throw new IllegalStateException(kind + " child did not answer");
        }
        return new long[] {wall, inMain};
    }

    private static long median(List<long[]> samples, int index) {
        long[] v = samples.stream().mapToLong(s -> s[index]).sorted().toArray();
        return v[v.length / 2];
    }
}
