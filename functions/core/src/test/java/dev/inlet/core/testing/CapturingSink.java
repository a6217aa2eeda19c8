package dev.inlet.core.testing;

import dev.inlet.core.observe.Log;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every log and metric line, for assertions (and for checking that no secret is ever logged). */
public final class CapturingSink implements Log.Sink {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void write(Log.Level level, String line) {
        lines.add(line);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public long count(String needle) {
        return lines.stream().filter(l -> l.contains(needle)).count();
    }

    public String all() {
        return String.join("\n", lines);
    }
}
