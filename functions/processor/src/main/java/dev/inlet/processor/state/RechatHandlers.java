package dev.inlet.processor.state;

import dev.inlet.core.processing.EventHandler;
import dev.inlet.core.processing.ReceivedEvent;
import dev.inlet.processor.payload.RechatPayload;
import java.util.ArrayList;
import java.util.List;

/** Rechat: deals (CREATED, UPDATED, DELETED), showings (SCHEDULED), contacts (each one in a delivery). */
public final class RechatHandlers {
    private RechatHandlers() {
    }

    public static EventHandler deal(EntityWriter writer, String state) {
        return new Named("RechatDealHandler", writer, "payload.deal.id", event -> {
            RechatPayload.Deal d = RechatPayload.deal(event.json());
            return d.id().isEmpty() ? List.of() : List.of(new EntityHandler.Write("deal", d.id().get(), state,
                    new Fields().put("title", d.title()).put("dealType", d.dealType()).map()));
        });
    }

    public static EventHandler showing(EntityWriter writer) {
        return new Named("RechatShowingHandler", writer, "payload.showing.id", event -> {
            RechatPayload.Showing s = RechatPayload.showing(event.json());
            return s.id().isEmpty() ? List.of() : List.of(new EntityHandler.Write("showing", s.id().get(),
                    "SCHEDULED", new Fields().put("deal", s.deal()).put("listing", s.listing()).map()));
        });
    }

    /** Every contact of a Contacts delivery (up to 50): one conditional write each; one without an id is logged. */
    public static EventHandler contacts(EntityWriter writer, String state) {
        return new Named("RechatContactsHandler", writer, "payload.data[].id", event -> {
            List<EntityHandler.Write> writes = new ArrayList<>();
            for (RechatPayload.Contact c : RechatPayload.contacts(event.json())) {
                writes.add(new EntityHandler.Write("contact", c.id().orElse(null), state,
                        new Fields().put("displayName", c.displayName()).put("email", c.email()).map()));
            }
            return writes;
        });
    }

    private interface Writes {
        List<EntityHandler.Write> of(ReceivedEvent event) throws Exception;
    }

    private static final class Named extends EntityHandler {
        private final String name;
        private final Writes writes;

        Named(String name, EntityWriter writer, String names, Writes writes) {
            super(writer, names);
            this.name = name;
            this.writes = writes;
        }

        @Override
        List<Write> writes(ReceivedEvent event) throws Exception {
            return writes.of(event);
        }

        @Override
        public String name() {
            return name;
        }
    }
}
