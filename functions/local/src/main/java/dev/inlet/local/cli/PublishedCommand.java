package dev.inlet.local.cli;

import dev.inlet.core.config.Env;
import dev.inlet.local.emulator.LocalBus;
import dev.inlet.local.emulator.LocalEnv;
import dev.inlet.local.emulator.PublishedEvent;
import dev.inlet.local.emulator.PublishedLog;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code ./inlet published}: the domain events the local stack's processor published to its in-process bus
 * ({@link LocalBus}), oldest first, newest last; {@code --follow} keeps printing new ones until Ctrl-C.
 * A deployed stack publishes to EventBridge, which keeps no list to read: the command says where to look.
 */
public final class PublishedCommand {
    public static final String USAGE = "./inlet published [--provider P] [--event KEY] [--follow] [--json]";
    static final Duration FOLLOW_EVERY = Duration.ofMillis(500);
    static final String DEPLOYED = "a deployed stack publishes to EventBridge, which keeps no list to read here: "
            + "replay the stack's event bus archive, or read the queue of a rule on its bus (see docs/operations.md)";

    private PublishedCommand() {
    }

    public static int run(List<String> argv, PrintStream out, Env environment) throws InterruptedException {
        Args args = new Args(argv, Set.of("provider", "event", "stack"), Set.of("follow", "json"));
        if (args.option("stack").isPresent()) {
            throw new IllegalStateException("published reads the local stack's bus only; " + DEPLOYED);
        }
        if (!args.positionals().isEmpty()) {
            throw new Args.UsageException("published takes no arguments (--event KEY picks one event's)");
        }
        String name = LocalEnv.forCommands(environment.asMap()).optional("EVENT_BUS_NAME").orElse("");
        if (name.isEmpty()) {
            throw new IllegalStateException("publishing is switched off (EVENT_BUS_NAME is empty): nothing is published");
        }
        PublishedLog log;
        try {
            log = PublishedLog.of(LocalBus.directory(), name);
        } catch (IllegalArgumentException e) {
            throw new dev.inlet.core.config.ConfigException("EVENT_BUS_NAME", e.getMessage());
        }
        return print(log, args.option("provider"), args.option("event"), args.has("json"), args.has("follow"), out,
                FOLLOW_EVERY);
    }

    /**
     * Prints what the bus keeps (of {@code provider}, made by the Inlet event {@code event}), newest last; with
     * {@code follow}, then what it takes next, every {@code every}, until interrupted (Ctrl-C) or the stack stops.
     */
    static int print(PublishedLog log, Optional<String> provider, Optional<String> event, boolean json, boolean follow,
                     PrintStream out, Duration every) throws InterruptedException {
        if (!log.live()) {
            throw new IllegalStateException("no local stack publishes to the bus " + log.name() + " (looked in "
                    + LocalBus.directory() + "): is ./inlet local running?");
        }
        Printer printer = new Printer(e -> provider.map(p -> p.equals(e.provider())).orElse(true), event.isEmpty(),
                json, out);
        long last = printer.print(log.after(0, event), 0);
        if (printer.shown == 0 && !json) {
            out.println(follow ? "Nothing published yet; waiting for the first event (Ctrl-C stops)."
                    : "Nothing published yet. Send one: ./inlet send rheo item.sold");
        }
        while (follow) {
            Thread.sleep(every.toMillis());
            if (!log.live()) {
                out.println("The local stack stopped.");
                return 0;
            }
            last = printer.print(log.after(last, event), last);
        }
        return 0;
    }

    /** Prints events as they come, the header once. */
    private static final class Printer {
        private static final String FORMAT = "%-4s  %-24s  %-26s  %-14s  %-22s  %s%n";
        private final Predicate<PublishedEvent> keep;
        private final boolean json;
        private final PrintStream out;
        private int shown;

        /** Whether a gap in seq means events were rotated away (not so when the bus is read for one event key). */
        private final boolean noteGaps;

        Printer(Predicate<PublishedEvent> keep, boolean noteGaps, boolean json, PrintStream out) {
            this.keep = keep;
            this.noteGaps = noteGaps;
            this.json = json;
            this.out = out;
        }

        /** @return the last seq read (printed or filtered out), or {@code last} when there was none */
        long print(List<PublishedEvent> events, long last) {
            for (PublishedEvent e : events) {
                if (e.seq() > last + 1 && last > 0 && !json && noteGaps) {
                    out.println("(" + (e.seq() - last - 1) + " older event(s) were rotated away before they were read)");
                }
                last = e.seq();
                if (!keep.test(e)) {
                    continue;
                }
                if (json) {
                    out.println(e.line());
                } else {
                    if (shown == 0) {
                        out.printf(FORMAT, "SEQ", "TIME", "DETAIL TYPE", "SOURCE", "ENTITY", "EVENT KEY");
                    }
                    out.printf(FORMAT, e.seq(), e.event().time(), e.event().detailType(), e.event().source(),
                            e.entity(), e.event().eventKey());
                }
                shown++;
            }
            return last;
        }
    }
}
