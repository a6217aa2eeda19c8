package dev.inlet.local;

import dev.inlet.core.config.ConfigException;
import dev.inlet.core.config.Env;
import dev.inlet.local.cli.Args;
import dev.inlet.local.cli.AuditCommand;
import dev.inlet.local.cli.ConsoleCommand;
import dev.inlet.local.cli.EntitiesCommand;
import dev.inlet.local.cli.EventsCommand;
import dev.inlet.local.cli.LocalCommand;
import dev.inlet.local.cli.PublishedCommand;
import dev.inlet.local.cli.ReconcileCommand;
import dev.inlet.local.cli.ReplayCommand;
import dev.inlet.local.cli.SendCommand;
import dev.inlet.local.cli.WriteEventsCommand;
import dev.inlet.local.registration.ApiException;
import dev.inlet.local.registration.RegistrationCommands;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/** {@code ./inlet}: the one command-line entry point. */
public final class Main {
    private Main() {
    }

    public static void main(String[] argv) {
        System.exit(run(Arrays.asList(argv), System.out, System.err));
    }

    public static int run(List<String> argv, PrintStream out, PrintStream err) {
        return run(argv, out, err, Env.of(System.getenv()));
    }

    public static int run(List<String> argv, PrintStream out, PrintStream err, Env env) {
        if (argv.isEmpty() || List.of("help", "--help", "-h").contains(argv.get(0))) {
            out.println(usage());
            return argv.isEmpty() ? 2 : 0;
        }
        String command = argv.get(0);
        List<String> rest = argv.subList(1, argv.size());
        Clock clock = Clock.systemUTC();
        try {
            return switch (command) {
                case "local" -> LocalCommand.run(rest, out);
                case "console" -> ConsoleCommand.run(rest, out, env);
                case "send" -> SendCommand.run(rest, out, clock, env);
                case "events" -> EventsCommand.run(rest, out, clock, env);
                case "entities" -> EntitiesCommand.run(rest, out, env);
                case "published" -> PublishedCommand.run(rest, out, env);
                case "write-events" -> WriteEventsCommand.run(rest, out);
                case "replay" -> ReplayCommand.replay(rest, out, clock, env);
                case "redrive" -> ReplayCommand.redrive(rest, out, env);
                case "reconcile" -> ReconcileCommand.run(rest, err, env, clock);
                case "audit" -> AuditCommand.run(rest, out, clock, env);
                case "register", "registrations", "deregister" -> registration(command, rest, out, env);
                default -> throw new Args.UsageException("unknown command '" + command + "'");
            };
        } catch (Args.UsageException e) {
            err.println("inlet: " + e.getMessage());
            err.println();
            err.println(usage());
            return 2;
        } catch (ConfigException e) {
            err.println("inlet: setting " + e.getMessage());
            return 2;
        } catch (ApiException e) {
            err.println("inlet: " + e.getMessage());
            return 1;
        } catch (IllegalStateException e) {
            err.println("inlet: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } catch (java.io.IOException e) {
            err.println("inlet: " + e.getMessage());
            return 1;
        }
    }

    private static int registration(String verb, List<String> argv, PrintStream out, Env env) {
        Args args = new Args(argv, RegistrationCommands.valueOptions(), RegistrationCommands.switches());
        if (args.positionals().isEmpty()) {
            throw new Args.UsageException(verb + " needs a provider: reverb or rechat");
        }
        try {
            return new RegistrationCommands(env, out).run(new RegistrationCommands.Request(verb,
                    args.positionals().get(0), args.positionals().subList(1, args.positionals().size()),
                    name -> args.option(name).orElse(null), args::has));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
    }

    static String usage() {
        return String.join("\n",
                "Usage:",
                "  " + LocalCommand.USAGE,
                "      start Inlet on this machine (DynamoDB Local, ElasticMQ, HTTP and the console on 127.0.0.1)",
                "  " + ConsoleCommand.USAGE,
                "      the console (watch, inspect, replay) against a deployed stack, on 127.0.0.1 only",
                "  " + SendCommand.USAGE,
                "      post a correctly signed sample webhook to the local stack",
                "  " + EventsCommand.USAGE,
                "      list the stored events of the local stack (or of a deployed one with --stack NAME)",
                "  " + EntitiesCommand.USAGE,
                "      the current state of every entity (listing, order, item, offer, deal, contact...)",
                "  " + PublishedCommand.USAGE,
                "      the domain events the local stack published to its in-process bus, newest last; --follow: new",
                "      ones as they come (a deployed stack publishes to EventBridge: see docs/operations.md)",
                "  " + WriteEventsCommand.USAGE,
                "      regenerate the signed sam-local-invoke events in events/ from the samples",
                "  " + ReplayCommand.REPLAY_USAGE,
                "      re-run stored events through the processor on purpose (recorded on each event)",
                "  " + ReplayCommand.REDRIVE_USAGE,
                "      move dead-lettered messages back to the events queue (after fixing the handler)",
                "  " + ReconcileCommand.USAGE,
                "      find Reverb orders the webhooks missed and send them through the intake (REVERB_API_TOKEN)",
                "  " + AuditCommand.USAGE,
                "      find stored events nothing owns any more (not in the outbox, no live lease, not claimed within",
                "      the queue's visibility window) and return them to the outbox; --dry-run only reports them;",
                "      exit 0: nothing stranded, " + AuditCommand.FOUND + ": stranded events found",
                RegistrationCommands.USAGE,
                "      register, list and delete webhooks with Reverb and Rechat (REVERB_API_TOKEN, RECHAT_API_TOKEN)");
    }
}
