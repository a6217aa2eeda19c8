package dev.inlet.local.cli;

import dev.inlet.core.config.Env;
import dev.inlet.local.console.ConsoleAlarms;
import dev.inlet.local.console.ConsoleData;
import dev.inlet.local.console.ConsoleGuard;
import dev.inlet.local.console.ConsolePublished;
import dev.inlet.local.console.ConsoleServer;
import dev.inlet.local.emulator.LocalHttpServer;
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
public final class ConsoleCommand {
    public static final String USAGE = "./inlet console --stack NAME [--port 3100]";

    private ConsoleCommand() {
    }

    public static int run(List<String> argv, PrintStream out, Env environment) throws InterruptedException, IOException {
        Args args = new Args(argv, Set.of("stack", "port"), Set.of());
        String stack = args.option("stack").orElseThrow(() -> new Args.UsageException(
                "console needs --stack NAME (a deployed stack); ./inlet local serves the local stack's console"));
        Env env = StackTarget.resolve(Optional.of(stack), environment);
        Served served = serve(env, ConsoleAlarms.ofStack(stack), StackTarget.describe(Optional.of(stack)),
                args.intOption("port", 3100), Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            served.close();
            stopped.countDown();
        }, "inlet-console-shutdown"));
        out.println("Inlet console for stack " + stack + ": " + served.console().oneTimeUrl()
                + "  (a one-time URL: it opens the console once, in one browser; 127.0.0.1 only, your AWS "
                + "credentials; Ctrl-C stops it)");
        stopped.await();
        return 0;
    }

    /** A console on its own loopback port, without "send a sample" (which is for the local stack). */
    public static Served serve(Env env, ConsoleAlarms alarms, String target, int port, Clock clock) throws IOException {
        return serve(new ConsoleData(env, clock, ConsoleData.EXAMINE_AT_MOST), alarms, target, port, clock,
                ConsoleGuard.newToken(), ConsolePublished.deployed(env));
    }

    /** The same on the given data and run token (tests count the data's calls). */
    public static Served serve(ConsoleData data, ConsoleAlarms alarms, String target, int port, Clock clock, String token)
            throws IOException {
        return serve(data, alarms, target, port, clock, token, ConsolePublished.none());
    }

    /** The same, showing {@code published}'s events and trace links. */
    public static Served serve(ConsoleData data, ConsoleAlarms alarms, String target, int port, Clock clock, String token,
                               ConsolePublished published) throws IOException {
        LocalHttpServer server = new LocalHttpServer(port, List.of(), clock);
        ConsoleGuard guard = new ConsoleGuard(token, server::port);
        ConsoleServer console = new ConsoleServer(data, alarms, Optional.empty(), target, guard, clock, published);
        server.serveOthers(console);
        return new Served(server, console);
    }

    /** A running console server. */
    public record Served(LocalHttpServer server, ConsoleServer console) implements AutoCloseable {
        public String url() {
            return "http://127.0.0.1:" + server.port() + "/";
        }

        @Override
        public void close() {
            server.close();
            console.close();
        }
    }
}
