package dev.inlet.processor;

import dev.inlet.core.entity.EntityStore;
import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.processing.HandlerRegistry;
import dev.inlet.processor.state.EntityWriter;
import dev.inlet.processor.state.RechatHandlers;
import dev.inlet.processor.state.ReuselyOfferHandler;
import dev.inlet.processor.state.ReverbListingHandler;
import dev.inlet.processor.state.ReverbOrderHandler;
import dev.inlet.processor.state.ReverbUninstallHandler;
import dev.inlet.processor.state.RheoItemHandler;

/**
 * THE place where business handlers are registered, one per provider event type. The defaults keep
 * the current state of every entity in the entities table. Add your own next to them (or instead of
 * them) with {@code .on(provider, eventType, handler)}; see docs/business-logic.md, "Adding your own
 * business logic". Unregistered event types fall back to the recording handler: they complete, never fail.
 */
public final class Handlers {
    private Handlers() {
    }

    public static HandlerRegistry.Builder defaults(EntityStore entities, Log log, Metrics metrics) {
        EntityWriter w = new EntityWriter(entities, log, metrics);
        HandlerRegistry.Builder b = HandlerRegistry.builder().fallback(new RecordingHandler(log));

        b.on("rheo", "item.created", new RheoItemHandler(w, "CREATED"))
                .on("rheo", "item.images_ready", new RheoItemHandler(w, "IMAGES_READY"))
                .on("rheo", "listing.created", new RheoItemHandler(w, "LISTED"))
                .on("rheo", "item.sold", new RheoItemHandler(w, "SOLD"))
                .on("rheo", "listing.ended", new RheoItemHandler(w, "ENDED_UNSOLD"))
                .on("rheo", "listing.failed", new RheoItemHandler(w, "FAILED"));

        ReverbListingHandler listing = new ReverbListingHandler(w);
        b.on("reverb", "listings/update", listing)
                .on("reverb", "listings/publish", listing)
                .on("reverb", "listings/bumps-ran-out", listing)
                .on("reverb", "orders/create", new ReverbOrderHandler(w, "order"))
                .on("reverb", "orders/update", new ReverbOrderHandler(w, "order"))
                .on("reverb", "payments/create", new ReverbOrderHandler(w, "payment"))
                .on("reverb", "payments/update", new ReverbOrderHandler(w, "payment"))
                .on("reverb", "app/uninstalled", new ReverbUninstallHandler(w));

        b.on("reusely", "offer.created", new ReuselyOfferHandler(w))
                .on("reusely", "offer.status.updated", new ReuselyOfferHandler(w));

        b.on("rechat", "Deals.Created", RechatHandlers.deal(w, "CREATED"))
                .on("rechat", "Deals.Updated", RechatHandlers.deal(w, "UPDATED"))
                .on("rechat", "Deals.Deleted", RechatHandlers.deal(w, "DELETED"))
                .on("rechat", "Showings.showing.created", RechatHandlers.showing(w))
                .on("rechat", "Contacts.create", RechatHandlers.contacts(w, "ACTIVE"))
                .on("rechat", "Contacts.update", RechatHandlers.contacts(w, "ACTIVE"))
                .on("rechat", "Contacts.delete", RechatHandlers.contacts(w, "DELETED"));
        return b;
    }
}
