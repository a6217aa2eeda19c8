package dev.inlet.local.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads what a {@link LocalBus} published, from its files: in this process (the console) or in another
 * one ({@code ./inlet published}). Only whole lines are read (a line being written is read next time), and
 * a read that a rotation overtook is done again, so a follower that asks for everything after the last
 * {@code seq} it saw misses nothing the bus still keeps.
 */
public final class PublishedLog {
    private static final int READ_TRIES = 5;

    private final Path dir;
    private final String name;

    PublishedLog(Path dir, String name) {
        this.dir = dir;
        this.name = name;
    }

    /** The bus {@code name} in {@code dir}. @throws IllegalArgumentException for a name no bus can have */
    public static PublishedLog of(Path dir, String name) {
        LocalBus.checkName(name);
        return new PublishedLog(dir, name);
    }

    public String name() {
        return name;
    }

    /** Whether a running process (a local stack) publishes to this bus now. */
    public boolean live() {
        try {
            long pid = Long.parseLong(Files.readString(LocalBus.pidFile(dir, name), StandardCharsets.UTF_8).strip());
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NoSuchFileException | NumberFormatException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LocalBus.pidFile(dir, name), e);
        }
    }

    /** Everything the bus still keeps, oldest first. */
    public List<PublishedEvent> all() {
        return after(0);
    }

    /** What the bus took after {@code seq}, oldest first. */
    public List<PublishedEvent> after(long seq) {
        for (int i = 0; ; i++) {
            Optional<Object> before = identity(LocalBus.previous(dir, name));
            List<PublishedEvent> out = new ArrayList<>();
            read(LocalBus.previous(dir, name), seq, out);
            read(LocalBus.current(dir, name), seq, out);
            if (before.equals(identity(LocalBus.previous(dir, name))) || i == READ_TRIES) {
                out.sort(Comparator.comparingLong(PublishedEvent::seq));
                return out;
            }
        }
    }

    /** The events that the Inlet event {@code key} (its event key, or {@code provider#dedupKey}) made, oldest first. */
    public List<PublishedEvent> madeBy(String key) {
        return all().stream().filter(e -> e.madeBy(key)).toList();
    }

    private static void read(Path file, long after, List<PublishedEvent> out) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;  // a line still being written: read next time
        }
        for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            PublishedEvent e = PublishedEvent.parse(line);
            if (e.seq() > after) {
                out.add(e);
            }
        }
    }

    /** Which file is at {@code path} now (a rotation puts another one there). */
    private static Optional<Object> identity(Path path) {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return Optional.of(Objects.requireNonNullElse(a.fileKey(), a.lastModifiedTime()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
