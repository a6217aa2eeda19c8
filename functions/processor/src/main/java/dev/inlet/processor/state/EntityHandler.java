package dev.inlet.processor.state;

import dev.inlet.core.entity.EntityKey;
import dev.inlet.core.processing.EventHandler;
import dev.inlet.core.processing.ReceivedEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A handler whose work is writing entity state. What it writes is computed once, from the event alone
 * ({@link #writes}), so {@link #entities} names exactly the entities {@link #handle} writes: the console
 * reads an event's entities by key with the same code.
 */
abstract class EntityHandler implements EventHandler {
    /**
     * One entity write an event asks for. A null {@code id}: this part of the body names no entity (one
     * contact of a delivery without an id): logged as {@code no_entity}, not written.
     */
    record Write(String type, String id, String state, Map<String, String> fields) {}

    private final EntityWriter writer;
    private final String names;

    /** @param names what a body must carry to name an entity (for the {@code no_entity} log line) */
    EntityHandler(EntityWriter writer, String names) {
        this.writer = writer;
        this.names = names;
    }

    /** The writes this event asks for: none when its body names no entity. */
    abstract List<Write> writes(ReceivedEvent event) throws Exception;

    /** Why a write makes the event notable (WARN and a metric), if it does. */
    Optional<String> notable(Write write) {
        return Optional.empty();
    }

    @Override
    public final void handle(ReceivedEvent event) throws Exception {
        List<Write> writes = writes(event);
        if (writes.isEmpty()) {
            writer.noEntity(event, names);
            return;
        }
        for (Write w : writes) {
            if (w.id() == null) {
                writer.noEntity(event, names);
                continue;
            }
            notable(w).ifPresent(reason -> writer.notable(event, reason));
            writer.write(event, w.type(), w.id(), w.state(), w.fields());
        }
    }

    @Override
    public final List<EntityKey> entities(ReceivedEvent event) throws Exception {
        return writes(event).stream().filter(w -> w.id() != null)
                .map(w -> new EntityKey(event.provider(), w.type(), w.id())).distinct().toList();
    }
}
