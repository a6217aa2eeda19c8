package dev.inlet.aws.lambda;

import dev.inlet.core.config.ConfigException;
import dev.inlet.core.config.Env;
import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import java.time.Clock;

/** The log and the metrics of one function, both writing through one sink. */
public record Observability(Log log, Metrics metrics) {
    public static Observability to(Log.Sink sink, Clock clock) {
        return new Observability(new Log(sink, clock), new Metrics(sink, clock));
    }

    /** Lambda's log, with {@code DETAILED_METRICS} ({@code true} unless set to {@code false}). */
    public static Observability lambda(Clock clock, Env env) {
        LambdaLogSink sink = new LambdaLogSink();
        return new Observability(new Log(sink, clock), new Metrics(sink, clock, detailedMetrics(env)));
    }

    static boolean detailedMetrics(Env env) {
        String value = env.optional("DETAILED_METRICS").orElse("true");
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException("DETAILED_METRICS", "must be true or false");
        };
    }
}
