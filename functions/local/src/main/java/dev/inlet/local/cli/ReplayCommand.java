package dev.inlet.local.cli;

import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.lambda.Observability;
import dev.inlet.aws.sqs.SqsEventQueue;
import dev.inlet.aws.sqs.SqsRedrive;
import dev.inlet.core.config.Env;
import dev.inlet.core.config.IntakeSettings;
import dev.inlet.core.outbox.ReplayService;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.StoreUnavailableException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code ./inlet replay} and {@code ./inlet redrive}: re-run stored events through the processor on purpose. */
public final class ReplayCommand {
    public static final String REPLAY_USAGE = "./inlet replay --id <provider#dedupKey> | [--provider P] [--from T] [--to T] "
            + "[--status S] [--type T] [--dry-run] [--rate N/s]   [--stack NAME]";
    public static final String REDRIVE_USAGE = "./inlet redrive [--max N] [--stack NAME]";
    /** A progress line every this many records on a range replay. */
    static final int PROGRESS_EVERY = 500;
    /** Replayed records printed one by one before a range replay switches to progress lines. */
    static final int SHOWN_ONE_BY_ONE = 20;

    private ReplayCommand() {
    }

    public static int replay(List<String> argv, PrintStream out, Clock clock, Env environment) {
        Set<String> options = new HashSet<>(EventFilter.OPTIONS);
        options.addAll(Set.of("id", "stack", "rate"));
        Args args = new Args(argv, options, Set.of("dry-run"));
        Optional<String> stack = args.option("stack");
        Env env = StackTarget.resolve(stack, environment);
        BackendSettings backend = BackendSettings.from(env);
        AwsClients clients = new AwsClients(backend);
        ReplayService replay = new ReplayService(EventFilter.store(env, clients.dynamoDb(), backend.eventsTable()),
                new SqsEventQueue(clients.sqs(), backend.requireQueueUrl()), IntakeSettings.from(env).intakeLease(),
                clock, Observability.to((level, line) -> { }, clock).log());
        try {
            if (args.option("id").isPresent()) {
                EventKey key;
                try {
                    key = EventKey.parse(args.option("id").get());
                } catch (IllegalArgumentException e) {
                    throw new Args.UsageException("--id looks like provider#dedupKey, e.g. rheo#evt_123");
                }
                ReplayService.Outcome o = replay.replay(key);
                out.println(line(o));
                return o.replayed() ? 0 : 1;
            }
            if (!EventFilter.any(args)) {
                throw new Args.UsageException("replay needs --id, or a range: --provider, --from, --to, --status");
            }
            return range(replay, EventFilter.query(args, 1000), args.has("dry-run"), args.intOption("rate", 0), out,
                    StackTarget.describe(stack));
        } catch (StoreUnavailableException e) {
            throw new IllegalStateException("cannot reach the events table of " + StackTarget.describe(stack)
                    + " (" + e.getMessage() + ")");
        }
    }

    /**
     * Every match, newest first. A record that fails is reported and counted, and the run goes on.
     *
     * @param rate sends per second at most; 0 for no bound
     */
    static int range(ReplayService replay, EventQuery query, boolean dryRun, int rate, PrintStream out, String where) {
        long started = System.nanoTime();
        long[] done = new long[1];
        ReplayService.Summary s = replay.replay(query, dryRun, o -> {
            done[0]++;
            if (o.result() != ReplayService.Result.REPLAYED || done[0] <= SHOWN_ONE_BY_ONE) {
                out.println(line(o));
            }
            double elapsed = (System.nanoTime() - started) / 1e9;
            if (done[0] % PROGRESS_EVERY == 0) {
                out.printf("... %d done in %.0f s (%.0f/s)%n", done[0], elapsed, done[0] / Math.max(elapsed, 1e-3));
            }
            if (rate > 0) {
                pace(done[0], rate, elapsed);
            }
        });
        if (dryRun) {
            out.println(s.matched() + " event(s) would be replayed on " + where + ".");
            return 0;
        }
        out.println(s.replayed() + " of " + s.matched() + " event(s) queued for processing again on " + where
                + (s.deferred() > 0 ? "; " + s.deferred() + " wait in the outbox (send failed, the sweeper sends them)"
                : "") + (s.skipped() > 0 ? "; " + s.skipped() + " skipped" : "")
                + (s.failed() > 0 ? "; " + s.failed() + " FAILED (run again to retry them)" : "") + ".");
        return s.failed() > 0 || s.matched() > 0 && s.replayed() + s.deferred() == 0 ? 1 : 0;
    }

    private static String line(ReplayService.Outcome o) {
        String word = switch (o.result()) {
            case REPLAYED -> "replayed ";
            case DEFERRED -> "deferred ";
            case SKIPPED -> "skipped  ";
            case FAILED -> "FAILED   ";
        };
        return word + o.key() + "  " + o.why();
    }

    private static void pace(long sent, int rate, double elapsedSeconds) {
        double ahead = sent / (double) rate - elapsedSeconds;
        if (ahead > 0) {
            try {
                Thread.sleep((long) (ahead * 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("replay interrupted after " + sent + " event(s)");
            }
        }
    }

    public static int redrive(List<String> argv, PrintStream out, Env environment) {
        Args args = new Args(argv, Set.of("max", "stack"), Set.of());
        Optional<String> stack = args.option("stack");
        Env env = StackTarget.resolve(stack, environment);
        BackendSettings backend = BackendSettings.from(env);
        int moved;
        AwsClients clients = new AwsClients(backend);
        Clock clock = Clock.systemUTC();
        try (var sqs = clients.sqs(); var dynamo = clients.dynamoDb()) {
            ReplayService replay = new ReplayService(EventFilter.store(env, dynamo, backend.eventsTable()),
                    new SqsEventQueue(sqs, backend.requireQueueUrl()), IntakeSettings.from(env).intakeLease(), clock,
                    Observability.to((level, line) -> { }, clock).log());
            moved = new SqsRedrive(sqs, env.required("DEAD_LETTER_QUEUE_URL"), backend.requireQueueUrl(), replay)
                    .redrive(args.intOption("max", 10_000));
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw new IllegalStateException("cannot reach the queues of " + StackTarget.describe(stack) + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        out.println("Moved " + moved + " message(s) from the dead-letter queue back to the events queue of "
                + StackTarget.describe(stack) + ".");
        return 0;
    }
}
