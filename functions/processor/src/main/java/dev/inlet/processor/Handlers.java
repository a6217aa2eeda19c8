package dev.inlet.processor;

import dev.inlet.core.observe.Log;
import dev.inlet.core.processing.HandlerRegistry;

/**
 * The one place where business handlers are registered, per provider and event type. Add yours here
 * with {@code .on("rheo", "item.sold", new MyHandler(...))}; anything unregistered falls back to the
 * recording handler, so an unknown event type never fails a batch.
 */
public final class Handlers {
    private Handlers() {
    }

    public static HandlerRegistry defaults(Log log) {
        return HandlerRegistry.builder()
                .fallback(new RecordingHandler(log))
                .build();
    }
}
