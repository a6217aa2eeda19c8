package dev.inlet.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.embedded.SamTemplate;
import dev.inlet.local.console.ConsoleServer;
import dev.inlet.local.emulator.FunctionEnvironment;
import dev.inlet.local.emulator.LocalStack;
import dev.inlet.local.emulator.Repo;
import dev.inlet.reverb.ReverbTopics;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/** {@code ./inlet local}: the whole stack on this machine until Ctrl-C. */
public final class LocalCommand {
    public static final String USAGE = "./inlet local [--port 3000] [--dynamodb-port 8000] [--sqs-port 9324] [--verbose]";

    private LocalCommand() {
    }

    public static int run(List<String> argv, PrintStream out) throws InterruptedException {
        Args args = new Args(argv, Set.of("port", "dynamodb-port", "sqs-port"), Set.of("verbose"));
        boolean verbose = args.has("verbose");
        long started = System.nanoTime();
        Map<String, String> processEnv = System.getenv();
        LocalStack.Options options = new LocalStack.Options(args.intOption("port", 3000),
                args.intOption("dynamodb-port", 8000), args.intOption("sqs-port", 9324), Repo.template(),
                Repo.envFile(), processEnv, Clock.systemUTC(), 5,
                (level, line) -> {
                    if (verbose || !line.startsWith("{\"_aws\"")) {
                        out.println(line);
                    }
                }, true, false, 15);
        LocalStack stack = LocalStack.start(options);
        ConsoleServer console = ConsoleServer.forLocalStack(stack, options.clock());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("Stopping Inlet...");
            stack.close();
            console.close();
            stopped.countDown();
        }, "inlet-shutdown"));
        Duration startup = Duration.ofNanos(System.nanoTime() - started);

        out.println();
        out.println("Inlet is running locally (started in " + startup.toMillis() + " ms; no Docker, no AWS account).");
        out.println("  DynamoDB Local  " + stack.backends().dynamoEndpoint() + "   ElasticMQ (SQS)  "
                + stack.backends().sqsEndpoint());
        out.println();
        out.println("Console:  " + console.oneTimeUrl());
        out.println("          (a one-time URL: it opens the console once, in one browser; watch, inspect, replay, "
                + "send samples; 127.0.0.1 only)");
        out.println();
        out.println("Webhook URLs:");
        for (String route : stack.routeDescriptions()) {
            if (route.contains("{topic}")) {
                ReverbTopics.ALL.forEach(t -> out.println("  " + route.replace("{topic}", ReverbTopics.slug(t))));
                out.println("    ({token} = one of REVERB_PATH_TOKENS; a wrong token or topic gets 404)");
            } else {
                out.println("  " + route);
            }
        }
        out.println();
        out.println("Secrets:");
        secretSources(SamTemplate.load(Repo.template()), processEnv).forEach((name, source) ->
                out.println("  " + name + ": " + source));
        out.println();
        out.println("Try:   ./inlet send rheo item.sold            ./inlet send reverb orders/create");
        out.println("       ./inlet send reusely offer.created     ./inlet send rechat Deals.Created");
        out.println("       ./inlet events                          ./inlet published --follow");
        out.println("Stop:  Ctrl-C");
        out.println();
        stopped.await();
        return 0;
    }

    private static Map<String, String> secretSources(SamTemplate template, Map<String, String> processEnv) {
        Map<String, String> out = new TreeMap<>();
        for (SamTemplate.Function f : template.functions()) {
            for (Map.Entry<String, JsonNode> e : f.environment().entrySet()) {
                if (FunctionEnvironment.isSecret(e.getKey(), f.environment())) {
                    out.put(e.getKey(), FunctionEnvironment.secretSource(e.getKey(), processEnv));
                }
            }
        }
        return out;
    }
}
