package dev.inlet.local.emulator;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.core.json.Json;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What an EventBridge schedule does, locally: invokes a function with a scheduled event (built as
 * EventBridge's JSON, read with the runtime's serializer) every {@code seconds}.
 */
public final class LocalScheduler implements AutoCloseable {
    private static final PojoSerializer<ScheduledEvent> SERIALIZER =
            LambdaEventSerializers.serializerFor(ScheduledEvent.class, LocalScheduler.class.getClassLoader());

    private final ScheduledExecutorService timer;

    LocalScheduler(String functionName, RequestHandler<ScheduledEvent, ?> handler, int seconds, Clock clock) {
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "inlet-schedule-" + functionName);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                handler.handleRequest(event(clock), new LocalContext(functionName, UUID.randomUUID().toString(), 60_000));
            } catch (RuntimeException e) {
                System.err.println(functionName + " failed: " + e.getClass().getName());
            }
        }, seconds, seconds, TimeUnit.SECONDS);
    }

    static ScheduledEvent event(Clock clock) {
        ObjectNode e = Json.mapper().createObjectNode();
        e.put("version", "0");
        e.put("id", UUID.randomUUID().toString());
        e.put("detail-type", "Scheduled Event");
        e.put("source", "aws.events");
        e.put("account", "000000000000");
        e.put("time", clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        e.put("region", "us-east-1");
        e.putArray("resources").add("arn:aws:events:us-east-1:000000000000:rule/local-schedule");
        e.putObject("detail");
        return SERIALIZER.fromJson(e.toString());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
