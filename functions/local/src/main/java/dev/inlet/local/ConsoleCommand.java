package dev.inlet.local;

import dev.inlet.core.config.Env;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./inlet console --stack NAME}: the console against a deployed stack, with your AWS credentials,
 * on 127.0.0.1 only, until Ctrl-C. (The local stack serves its own console: {@code ./inlet local}.)
 */
final class ConsoleCommand {
    static final String USAGE = "./inlet console --stack NAME [--port 3100]";

    private ConsoleCommand() {
    }

    static int run(List<String> argv, PrintStream out) throws InterruptedException, IOException {
        Args args = new Args(argv, Set.of("stack", "port"), Set.of());
        String stack = args.option("stack").orElseThrow(() -> new Args.UsageException(
                "console needs --stack NAME (a deployed stack); ./inlet local serves the local stack's console"));
        Env env = StackTarget.resolve(Optional.of(stack));
        Served served = serve(env, ConsoleAlarms.ofStack(stack), StackTarget.describe(Optional.of(stack)),
                args.intOption("port", 3100), Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            served.close();
            stopped.countDown();
        }, "inlet-console-shutdown"));
        out.println("Inlet console for stack " + stack + ": " + served.url()
                + "  (127.0.0.1 only, your AWS credentials; Ctrl-C stops it)");
        stopped.await();
        return 0;
    }

    /** A console on its own loopback port, without "send a sample" (which is for the local stack). */
    static Served serve(Env env, ConsoleAlarms alarms, String target, int port, Clock clock) throws IOException {
        return serve(new ConsoleData(env, clock, ConsoleData.EXAMINE_AT_MOST), alarms, target, port, clock, ConsoleGuard.newToken());
    }

    /** The same on the given data and run token (tests count the data's calls). */
    static Served serve(ConsoleData data, ConsoleAlarms alarms, String target, int port, Clock clock, String token)
            throws IOException {
        LocalHttpServer server = new LocalHttpServer(port, List.of(), clock);
        ConsoleGuard guard = new ConsoleGuard(token, server::port);
        ConsoleServer console = new ConsoleServer(data, alarms, Optional.empty(), target, guard, clock);
        server.serveOthers(console);
        return new Served(server, console);
    }

    /** A running console server. */
    record Served(LocalHttpServer server, ConsoleServer console) implements AutoCloseable {
        String url() {
            return "http://127.0.0.1:" + server.port() + "/";
        }

        @Override
        public void close() {
            server.close();
            console.close();
        }
    }
}
