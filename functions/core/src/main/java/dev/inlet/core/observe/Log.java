package dev.inlet.core.observe;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.core.json.Json;
import java.time.Clock;

/**
 * Structured JSON-lines logging. Each call names an event and passes key/value pairs. Callers pass
 * ids, types, sizes and outcomes: never secrets, signatures, path tokens or bodies.
 */
public final class Log {
    public enum Level { DEBUG, INFO, WARN, ERROR }

    /** Where finished lines go: the Lambda logger, stdout, or a test's buffer. */
    public interface Sink {
        void write(Level level, String line);

        /**
         * An embedded-metric line: metrics are not log chatter, so a sink that filters by level (the
         * Lambda runtime under ApplicationLogLevel WARN) must still pass it. By default an INFO line.
         */
        default void metric(String line) {
            write(Level.INFO, line);
        }
    }

    private final Sink sink;
    private final Clock clock;

    public Log(Sink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    public static Log toStdout(Clock clock) {
        return new Log((level, line) -> System.out.println(line), clock);
    }

    public void info(String event, Object... keyValues) {
        emit(Level.INFO, event, keyValues);
    }

    public void warn(String event, Object... keyValues) {
        emit(Level.WARN, event, keyValues);
    }

    public void error(String event, Object... keyValues) {
        emit(Level.ERROR, event, keyValues);
    }

    public Sink sink() {
        return sink;
    }

    private void emit(Level level, String event, Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("log fields come in key/value pairs");
        }
        ObjectNode line = Json.object();
        line.put("time", clock.instant().toString());
        line.put("level", level.name());
        line.put("event", event);
        for (int i = 0; i < keyValues.length; i += 2) {
            String key = String.valueOf(keyValues[i]);
            Object value = keyValues[i + 1];
            if (value instanceof Integer || value instanceof Long || value instanceof Short) {
                line.put(key, ((Number) value).longValue());
            } else if (value instanceof Number n) {
                line.put(key, n.doubleValue());
            } else if (value instanceof Boolean b) {
                line.put(key, b);
            } else if (value != null) {
                line.put(key, String.valueOf(value));
            }
        }
        sink.write(level, Json.write(line));
    }
}
