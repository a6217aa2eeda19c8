package dev.inlet.processor;

import dev.inlet.core.observe.Log;
import dev.inlet.core.processing.EventHandler;
import dev.inlet.core.processing.ReceivedEvent;

/**
 * The default until real business logic is registered: records that the event ran (a log line here,
 * and {@code handledBy} on the event record once it is PROCESSED).
 */
public final class RecordingHandler implements EventHandler {
    private final Log log;

    public RecordingHandler(Log log) {
        this.log = log;
    }

    @Override
    public void handle(ReceivedEvent event) {
        log.info("handled", "provider", event.provider(), "eventKey", event.key().dedupKey(),
                "eventType", event.eventType(), "bytes", event.body().length);
    }
}
