package dev.inlet.aws.lambda;

import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import java.time.Clock;

/** The log and the metrics of one function, both writing through one sink. */
public record Observability(Log log, Metrics metrics) {
    public static Observability to(Log.Sink sink, Clock clock) {
        return new Observability(new Log(sink, clock), new Metrics(sink, clock));
    }

    public static Observability lambda(Clock clock) {
        return to(new LambdaLogSink(), clock);
    }
}
