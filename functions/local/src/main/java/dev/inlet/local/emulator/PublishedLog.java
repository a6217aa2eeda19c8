package dev.inlet.local.emulator;

import dev.inlet.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

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
        return after(seq, Optional.empty());
    }

    /**
     * What the bus took after {@code seq}, oldest first; with {@code madeBy}, only the events that Inlet event
     * made (its event key, or {@code provider#dedupKey}). Lines are parsed only when their {@code seq} is newer
     * and their text can name the event, so a follower's poll and an event page cost little.
     */
    public List<PublishedEvent> after(long seq, Optional<String> madeBy) {
        Predicate<String> mayName = madeBy.map(PublishedLog::mayName).orElse(line -> true);
        for (int i = 0; ; i++) {
            Optional<Object> before = identity(LocalBus.previous(dir, name));
            List<PublishedEvent> out = new ArrayList<>();
            boolean reachedSeq = false;
            // Newest first, each file from its end: a follower's poll reads its few new lines only.
            for (Path file : List.of(LocalBus.current(dir, name), LocalBus.previous(dir, name))) {
                for (String line : backwards(file)) {
                    if (seqOf(line) <= seq) {
                        reachedSeq = true;
                        break;
                    }
                    if (mayName.test(line)) {
                        PublishedEvent e = PublishedEvent.parse(line);
                        if (e.seq() > seq && madeBy.map(e::madeBy).orElse(true)) {
                            out.add(e);
                        }
                    }
                }
                if (reachedSeq) {
                    break;
                }
            }
            if (before.equals(identity(LocalBus.previous(dir, name))) || i == READ_TRIES) {
                out.sort(Comparator.comparingLong(PublishedEvent::seq));
                return dedup(out);
            }
        }
    }

    /** One of each seq (a rotation between reading the two files can show an event in both). */
    private static List<PublishedEvent> dedup(List<PublishedEvent> sorted) {
        List<PublishedEvent> out = new ArrayList<>();
        for (PublishedEvent e : sorted) {
            if (out.isEmpty() || out.get(out.size() - 1).seq() != e.seq()) {
                out.add(e);
            }
        }
        return out;
    }

    /** The events that the Inlet event {@code key} (its event key, or {@code provider#dedupKey}) made, oldest first. */
    public List<PublishedEvent> madeBy(String key) {
        return after(0, Optional.of(key));
    }

    /** The newest {@code n} events the bus keeps, newest first: only those are parsed. */
    public List<PublishedEvent> newest(int n) {
        List<PublishedEvent> out = new ArrayList<>();
        for (Path file : List.of(LocalBus.current(dir, name), LocalBus.previous(dir, name))) {
            for (String line : backwards(file)) {
                if (out.size() >= n) {
                    return out;
                }
                PublishedEvent e = PublishedEvent.parse(line);
                if (out.isEmpty() || e.seq() < out.get(out.size() - 1).seq()) {
                    out.add(e);   // a rotation between the two reads shows some events twice: once is enough
                }
            }
        }
        return out;
    }

    /** How many events the bus keeps now. */
    public int size() {
        return count(LocalBus.previous(dir, name)) + count(LocalBus.current(dir, name));
    }

    /** Whether a line may hold the event key: its text, JSON-escaped, appears in it (parsed to be sure). */
    private static Predicate<String> mayName(String key) {
        String dedupKey = key.substring(key.indexOf('#') + 1);
        String escaped = Json.mapper().getNodeFactory().textNode(dedupKey).toString();
        String needle = escaped.substring(1, escaped.length() - 1);
        return line -> line.contains(needle);
    }

    /** The {@code seq} a line starts with ({@link PublishedEvent#line()} writes it first); MAX_VALUE: parse to know. */
    private static long seqOf(String line) {
        String prefix = "{\"seq\":";
        if (!line.startsWith(prefix)) {
            return Long.MAX_VALUE;
        }
        long seq = 0;
        for (int i = prefix.length(); i < line.length() && i < prefix.length() + 19; i++) {
            char c = line.charAt(i);
            if (c == ',') {
                return seq;
            }
            if (c < '0' || c > '9') {
                return Long.MAX_VALUE;
            }
            seq = seq * 10 + (c - '0');
        }
        return Long.MAX_VALUE;
    }

    /** A file's whole lines, last first, decoded as they are asked for (a line still being written is left out). */
    private static Iterable<String> backwards(Path file) {
        byte[] bytes = bytes(file);
        return () -> new Iterator<>() {
            private int end = wholeLinesEnd(bytes);
            private String next;

            @Override
            public boolean hasNext() {
                while (next == null && end > 0) {
                    int start = end - 1;   // bytes[end - 1] is the line's break
                    while (start > 0 && bytes[start - 1] != '\n') {
                        start--;
                    }
                    String line = new String(bytes, start, end - 1 - start, StandardCharsets.UTF_8);
                    end = start;
                    next = line.isBlank() ? null : line;
                }
                return next != null;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String line = next;
                next = null;
                return line;
            }
        };
    }

    private static int count(Path file) {
        byte[] bytes = bytes(file);
        int lines = 0;
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                lines += i > start ? 1 : 0;
                start = i + 1;
            }
        }
        return lines;
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Where the whole lines end: after the last line break. */
    private static int wholeLinesEnd(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        return end;
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
