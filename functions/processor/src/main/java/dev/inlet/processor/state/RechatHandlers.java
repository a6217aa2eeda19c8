package dev.inlet.processor.state;

import dev.inlet.core.processing.EventHandler;
import dev.inlet.core.processing.ReceivedEvent;
import dev.inlet.processor.payload.RechatPayload;

/** Rechat: deals (CREATED, UPDATED, DELETED), showings (SCHEDULED), contacts (each one in a delivery). */
public final class RechatHandlers {
    private RechatHandlers() {
    }

    public static EventHandler deal(EntityWriter writer, String state) {
        return named("RechatDealHandler", event -> {
            RechatPayload.Deal d = RechatPayload.deal(event.json());
            if (d.id().isEmpty()) {
                writer.noEntity(event, "payload.deal.id");
                return;
            }
            writer.write(event, "deal", d.id().get(), state,
                    new Fields().put("title", d.title()).put("dealType", d.dealType()).map());
        });
    }

    public static EventHandler showing(EntityWriter writer) {
        return named("RechatShowingHandler", event -> {
            RechatPayload.Showing s = RechatPayload.showing(event.json());
            if (s.id().isEmpty()) {
                writer.noEntity(event, "payload.showing.id");
                return;
            }
            writer.write(event, "showing", s.id().get(), "SCHEDULED",
                    new Fields().put("deal", s.deal()).put("listing", s.listing()).map());
        });
    }

    /** Every contact of a Contacts delivery (up to 50): one conditional write each. */
    public static EventHandler contacts(EntityWriter writer, String state) {
        return named("RechatContactsHandler", event -> {
            for (RechatPayload.Contact c : RechatPayload.contacts(event.json())) {
                if (c.id().isEmpty()) {
                    writer.noEntity(event, "payload.data[].id");
                    continue;
                }
                writer.write(event, "contact", c.id().get(), state,
                        new Fields().put("displayName", c.displayName()).put("email", c.email()).map());
            }
        });
    }

    private static EventHandler named(String name, EventHandler body) {
        return new EventHandler() {
            @Override
            public void handle(ReceivedEvent event) throws Exception {
                body.handle(event);
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
