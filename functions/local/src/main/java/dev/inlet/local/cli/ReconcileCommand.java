package dev.inlet.local.cli;

import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.lambda.Observability;
import dev.inlet.aws.secretsmanager.SecretsManagerReader;
import dev.inlet.core.config.ConfigException;
import dev.inlet.core.config.Env;
import dev.inlet.core.ingest.Rfc3339;
import dev.inlet.core.reconcile.Change;
import dev.inlet.core.reconcile.FeedException;
import dev.inlet.core.reconcile.Outcome;
import dev.inlet.core.reconcile.Page;
import dev.inlet.core.reconcile.Reconciler;
import dev.inlet.core.reconcile.Window;
import dev.inlet.core.store.StoreUnavailableException;
import dev.inlet.reconciler.ApiToken;
import dev.inlet.reconciler.ReverbReconciler;
import dev.inlet.reverb.orders.ReverbApi;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ./inlet reconcile reverb}: what the scheduled ReconcilerFunction does, on demand, against the
 * local stack or a deployed one: reads Reverb's orders changed in a window and sends what the webhooks
 * missed through the intake (source {@code reconcile}). Progress and the summary go to stderr.
 */
public final class ReconcileCommand {
    public static final String USAGE = "./inlet reconcile reverb [--since ISO-8601] [--until ISO-8601] [--sandbox] "
            + "[--dry-run] [--stack NAME]";

    private ReconcileCommand() {
    }

    /** Main's entry: the target stack from {@code --stack}, the token and API base from {@code processEnv}. */
    public static int run(List<String> argv, PrintStream err, Env processEnv, Clock clock) {
        Args args = args(argv);
        return run(args, StackTarget.resolve(args.option("stack"), processEnv), processEnv, err, clock);
    }

    static Args args(List<String> argv) {
        Args args = new Args(argv, Set.of("since", "until", "stack"), Set.of("sandbox", "dry-run"));
        if (args.positionals().size() != 1) {
            throw new Args.UsageException("reconcile needs one provider: reverb");
        }
        String provider = args.positionals().get(0);
        if (List.of("rheo", "reusely", "rechat").contains(provider)) {
            throw new Args.UsageException(provider + " has no reconciler yet: its API is not known to list changes "
                    + "by time (docs/providers.md says what it would need)");
        }
        if (!provider.equals("reverb")) {
            throw new Args.UsageException("unknown provider '" + provider + "'; reconcile works for reverb");
        }
        return args;
    }

    /**
     * @param target the stack's tables and queue ({@link StackTarget}, or a test's local stack)
     * @param processEnv where {@code REVERB_API_TOKEN} (or {@code REVERB_API_TOKEN_ARN}) and {@code REVERB_API_BASE} are read
     */
    static int run(Args args, Env target, Env processEnv, PrintStream err, Clock clock) {
        Optional<Instant> since = instant(args, "since");
        Optional<Instant> until = instant(args, "until");
        boolean dryRun = args.has("dry-run");
        URI base = URI.create(processEnv.optional(ReverbReconciler.BASE)
                .orElse(args.has("sandbox") ? ReverbApi.SANDBOX : ReverbApi.PRODUCTION));
        AwsClients clients = new AwsClients(BackendSettings.from(target));
        ApiToken token = ApiToken.from(processEnv, ReverbReconciler.TOKEN,
                () -> new SecretsManagerReader(clients.secretsManager()))
                .orElseThrow(() -> new ConfigException(ReverbReconciler.TOKEN, "is not set: a Reverb personal API "
                        + "token with the read_orders scope (or " + ReverbReconciler.TOKEN + "_ARN naming its secret)"));
        Reconciler reconciler = ReverbReconciler.compose(target, clients, token, base, clock,
                Observability.to((level, line) -> { }, clock));
        String where = args.option("stack").map(s -> "stack " + s).orElse("the local stack");
        Reconciler.Summary s;
        try {
            s = reconciler.run(new Reconciler.Request(since, until, dryRun), new Printer(err, base, dryRun));
        } catch (FeedException e) {
            err.println("inlet: " + e.getMessage());
            err.println("Nothing after the failed page was checked; the cursor did not move.");
            return 1;
        } catch (StoreUnavailableException e) {
            throw new IllegalStateException("cannot reach the tables or queue of " + where + " (" + e.getMessage()
                    + "): is ./inlet local running?");
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        err.printf("%s: pages %d, orders seen %d, already known %d, %s %d%s.%n", dryRun ? "Dry run" : "Done",
                s.pages(), s.seen(), s.known(), dryRun ? "would recover" : "recovered", s.recovered(),
                s.refused() > 0 ? ", REFUSED " + s.refused() + " (see above)" : "");
        err.println(dryRun ? "Nothing was written; the cursor did not move."
                : s.cursorMoved() ? "Cursor moved to " + s.cursor().orElseThrow() + " on " + where + "."
                : "The cursor stays at " + s.cursor().map(Instant::toString).orElse("(none)") + " on " + where
                + (until.isPresent() ? " (an explicit --until never moves it)." : "."));
        return s.refused() > 0 ? 1 : 0;
    }

    private static Optional<Instant> instant(Args args, String name) {
        try {
            return args.option(name).map(Rfc3339::parse);
        } catch (DateTimeParseException e) {
            throw new Args.UsageException("--" + name + " takes an ISO-8601 time such as 2026-12-01T00:00:00Z");
        }
    }

    /** Progress lines on stderr: the window, each page, each order recovered (or that would be). */
    private record Printer(PrintStream err, URI base, boolean dryRun) implements Reconciler.Progress {
        @Override
        public void window(Window window, Optional<Instant> cursor) {
            err.println("Reconciling Reverb orders updated " + window.from() + " .. " + window.until() + " at "
                    + base.getHost() + (cursor.map(c -> " (cursor " + c + ")").orElse(" (no cursor yet)"))
                    + (dryRun ? ", dry run" : ""));
        }

        @Override
        public void page(Page page) {
            err.println("  page " + page.number() + (page.totalPages() > 0 ? "/" + page.totalPages() : "") + ": "
                    + page.changes().size() + " order(s)");
        }

        @Override
        public void change(Change change, Outcome outcome) {
            if (outcome == Outcome.RECOVERED || outcome == Outcome.WOULD_RECOVER || outcome == Outcome.REFUSED) {
                err.println("    " + (outcome == Outcome.RECOVERED ? "recovered     " : outcome == Outcome.REFUSED
                        ? "REFUSED       " : "would recover ") + change.entity().asString() + "  " + change.state()
                        + change.changedAt().map(t -> "  (updated " + t + ")").orElse(""));
            }
        }
    }
}
