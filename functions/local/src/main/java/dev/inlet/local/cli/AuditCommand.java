package dev.inlet.local.cli;

import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbAuditIndex;
import dev.inlet.aws.lambda.Observability;
import dev.inlet.core.config.AuditSettings;
import dev.inlet.core.config.Env;
import dev.inlet.core.outbox.StrandedAudit;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code ./inlet audit}: the sweeper's stranded-record audit on demand, against the local stack or a
 * deployed one. Prints each record that nothing owns any more (provider, key, status, age, why) and what it
 * returned to the outbox. The visibility window is the events queue's own VisibilityTimeout.
 */
public final class AuditCommand {
    public static final String USAGE = "./inlet audit [--dry-run] [--limit N] [--stack NAME]";
    /** The exit code when stranded records were found (returned to the outbox, or only reported with --dry-run). */
    public static final int FOUND = 3;
    /** How long one audit from the command line may take. */
    static final Duration TIME_LIMIT = Duration.ofMinutes(5);

    private AuditCommand() {
    }

    public static int run(List<String> argv, PrintStream out, Clock clock, Env environment) {
        Args args = new Args(argv, Set.of("stack", "limit"), Set.of("dry-run"));
        Optional<String> stack = args.option("stack");
        int limit = args.intOption("limit", 1000);
        if (limit == 0) {
            throw new Args.UsageException("--limit must be at least 1");
        }
        return run(StackTarget.resolve(stack, environment), args.has("dry-run"), limit, out, clock, StackTarget.describe(stack));
    }

    /** The audit against the backends {@code env} names. */
    static int run(Env env, boolean dryRun, int limit, PrintStream out, Clock clock, String where) {
        BackendSettings backend = BackendSettings.from(env);
        AwsClients clients = new AwsClients(backend);
        try {
            Duration window = visibilityWindow(clients.sqs(), backend.requireQueueUrl(), env);
            Observability quiet = Observability.to((level, line) -> { }, clock);
            StrandedAudit audit = new StrandedAudit(new DynamoDbAuditIndex(clients.dynamoDb(), backend.eventsTable()),
                    window, limit, clock, quiet.log(), quiet.metrics());
            return report(audit, dryRun, out, clock, where);
        } catch (SdkException e) {
            throw new IllegalStateException("cannot reach the events table and queue of " + where + " ("
                    + e.getClass().getSimpleName() + ")");
        } catch (dev.inlet.core.store.StoreUnavailableException e) {
            throw new IllegalStateException("cannot reach the events table of " + where + " (" + e.getMessage() + ")");
        } finally {
            clients.dynamoDb().close();
            clients.sqs().close();
        }
    }

    /** The queue's own VisibilityTimeout (a local stack's is shorter than the template's), else the setting. */
    private static Duration visibilityWindow(SqsClient sqs, String queueUrl, Env env) {
        String seconds = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT)).attributes()
                .get(QueueAttributeName.VISIBILITY_TIMEOUT);
        return seconds == null ? AuditSettings.from(env).visibilityWindow() : Duration.ofSeconds(Long.parseLong(seconds));
    }

    /** Runs the audit and prints what it found; 0 when nothing was stranded, {@link #FOUND} otherwise. */
    static int report(StrandedAudit audit, boolean dryRun, PrintStream out, Clock clock, String where) {
        Instant now = clock.instant();
        StrandedAudit.Report r = audit.run(now.plus(TIME_LIMIT), dryRun);
        for (StrandedAudit.Finding f : r.stranded()) {
            String action = switch (f.action()) {
                case RETURNED -> "returned to the outbox";
                case REPORTED -> "stranded (dry run: left as it is)";
                case OWNER_CAME_BACK -> "owner came back (claimed or replayed meanwhile): left to it";
            };
            out.println(f.key() + "  " + f.status() + "  " + f.eventType() + "  age " + age(f.receivedAt(), now)
                    + ", ownerless for " + age(f.ownerlessSince(), now) + "  " + action);
            out.println("  why: " + f.why());
        }
        long returned = r.returned();
        long stranded = r.stranded().stream().filter(f -> f.action() != StrandedAudit.Action.OWNER_CAME_BACK).count();
        String summary = "Audited " + r.examined() + " record(s) outside the outbox on " + where + ": ";
        if (stranded == 0) {
            summary += "nothing stranded.";
        } else if (dryRun) {
            summary += stranded + " stranded (dry run: nothing changed; without --dry-run they go back to the outbox).";
        } else {
            summary += stranded + " stranded, " + returned + " returned to the outbox (the sweeper sends them on its "
                    + "next run).";
        }
        out.println(summary + (r.stoppedEarly() ? " Stopped at the read or time limit: run it again for the rest."
                : ""));
        return stranded == 0 ? 0 : FOUND;
    }

    /** {@code 2h 05m}, {@code 4m 10s}, {@code 12s}. */
    static String age(Instant since, Instant now) {
        Duration d = Duration.between(since, now);
        if (d.isNegative()) {
            return "0s";
        }
        if (d.toDays() > 0) {
            return d.toDays() + "d " + String.format("%02dh", d.toHoursPart());
        }
        if (d.toHours() > 0) {
            return d.toHours() + "h " + String.format("%02dm", d.toMinutesPart());
        }
        if (d.toMinutes() > 0) {
            return d.toMinutes() + "m " + String.format("%02ds", d.toSecondsPart());
        }
        return d.toSeconds() + "s";
    }
}
