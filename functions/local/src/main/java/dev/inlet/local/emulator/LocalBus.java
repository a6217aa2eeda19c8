package dev.inlet.local.emulator;

import dev.inlet.core.publish.BusUnavailableException;
import dev.inlet.core.publish.DomainEvent;
import dev.inlet.core.publish.EventBus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The event bus of {@code ./inlet local}: what the processor publishes is appended, one JSON line per event
 * ({@link PublishedEvent}), to {@code <name>.jsonl} in the bus directory, where {@code ./inlet published}
 * (another process) and the console read it ({@link PublishedLog}). Bounded: when the file holds
 * {@code keep} events it becomes {@code <name>.1.jsonl} (replacing the one before) and a new file starts,
 * so at most {@code 2 * keep} events are on disk. While open, {@code <name>.pid} names the process that
 * publishes (the stack's JVM): that is how a reader knows a stack is publishing to it. Each run starts empty (the local stack's tables
 * are in memory too) and removes its files when it closes.
 */
public final class LocalBus implements EventBus, AutoCloseable {
    /** The local bus's name when {@code EVENT_BUS_NAME} is not set (set and empty: publishing is off). */
    public static final String DEFAULT_NAME = "inlet-local";
    /** Events one file holds before it is rotated. */
    public static final int KEEP = 10_000;
    /** EventBridge's bus-name characters; the name is also a file name here. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,255}");

    private final String name;
    private final Path current;
    private final Path previous;
    private final Clock clock;
    private final int keep;
    private volatile boolean open = true;
    private final AtomicInteger refusals = new AtomicInteger();
    private long seq;
    private int inCurrent;

    private LocalBus(String name, Path dir, Clock clock, int keep) {
        this.name = name;
        this.current = current(dir, name);
        this.previous = previous(dir, name);
        this.clock = clock;
        this.keep = keep;
    }

    /** Where {@code ./inlet local} keeps its bus: {@code .inlet/bus} in the repository (git ignores {@code .inlet/}). */
    public static Path directory() {
        return Repo.root().resolve(".inlet").resolve("bus");
    }

    /**
     * Opens the bus {@code name} in {@code dir}, empty.
     *
     * @throws IllegalStateException when another running stack publishes to a bus of that name, or the
     *     directory cannot be written
     */
    public static LocalBus open(Path dir, String name, Clock clock, int keep) {
        checkName(name);
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1: " + keep);
        }
        PublishedLog log = new PublishedLog(dir, name);
        if (log.live()) {
            throw new IllegalStateException("another ./inlet local publishes to the local bus " + name + " (" + dir
                    + "); stop it, or set EVENT_BUS_NAME to another name");
        }
        try {
            Files.createDirectories(dir);
            Files.write(current(dir, name), new byte[0]);
            Files.deleteIfExists(previous(dir, name));
            Files.writeString(pidFile(dir, name), Long.toString(ProcessHandle.current().pid()), StandardCharsets.UTF_8);
            return new LocalBus(name, dir, clock, keep);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the local bus in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException unless {@code name} is a bus name EventBridge would take */
    public static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a bus name is 1 to 256 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit");
        }
    }

    public String name() {
        return name;
    }

    /**
     * For tests only: the next {@code calls} publish calls throw {@link BusUnavailableException} and take
     * nothing, as EventBridge does when it is throttled or down. No setting or command reaches this.
     */
    public void refuseNext(int calls) {
        refusals.set(calls);
    }

    @Override
    public void publish(List<DomainEvent> events) {
        if (events.size() > BATCH_LIMIT) {
            throw new IllegalArgumentException("at most " + BATCH_LIMIT + " events per publish call: " + events.size());
        }
        if (refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new BusUnavailableException("the local bus refused the events (a test asked it to)");
        }
        if (events.isEmpty()) {
            return;
        }
        synchronized (this) {
            if (!open) {
                throw new BusUnavailableException("the local bus " + name + " is closed");
            }
            try {
                if (inCurrent + events.size() > keep) {
                    Files.move(current, previous, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    Files.write(current, new byte[0]);
                    inCurrent = 0;
                }
                StringBuilder lines = new StringBuilder();
                for (DomainEvent e : events) {
                    lines.append(new PublishedEvent(seq + 1, clock.instant(), name, e).line()).append('\n');
                    seq++;
                }
                write(lines.toString());
                inCurrent += events.size();
            } catch (IOException e) {
                throw new BusUnavailableException("the local bus could not write " + current + ": " + e.getMessage(), e);
            }
        }
    }

    /** All lines of one call in one write, so a reader sees whole lines or none of them (it skips a partial one). */
    private void write(String lines) throws IOException {
        try (FileChannel out = FileChannel.open(current, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap(lines.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
        }
    }

    /** A reader of this bus's files. */
    public PublishedLog log() {
        return new PublishedLog(current.getParent(), name);
    }

    @Override
    public synchronized void close() {
        open = false;
        try {
            Files.deleteIfExists(pidFile(current.getParent(), name));
            Files.deleteIfExists(current);
            Files.deleteIfExists(previous);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the local bus files of " + name, e);
        }
    }

    static Path current(Path dir, String name) {
        return dir.resolve(name + ".jsonl");
    }

    static Path previous(Path dir, String name) {
        return dir.resolve(name + ".1.jsonl");
    }

    static Path pidFile(Path dir, String name) {
        return dir.resolve(name + ".pid");
    }
}
