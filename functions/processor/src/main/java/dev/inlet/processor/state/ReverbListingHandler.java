package dev.inlet.processor.state;

import dev.inlet.core.processing.EventHandler;
import dev.inlet.core.processing.ReceivedEvent;
import dev.inlet.processor.payload.ReverbListing;

/** listings/* : the listing's state slug (live, sold_out, ended...), inventory, price, sku, title. */
public final class ReverbListingHandler implements EventHandler {
    private final EntityWriter writer;

    public ReverbListingHandler(EntityWriter writer) {
        this.writer = writer;
    }

    @Override
    public void handle(ReceivedEvent event) throws Exception {
        ReverbListing l = ReverbListing.from(event.json());
        if (l.id().isEmpty()) {
            writer.noEntity(event, "id");
            return;
        }
        writer.write(event, "listing", l.id().get(), l.state().orElse("unknown"), new Fields()
                .put("inventory", l.inventory()).put("price", l.priceAmount()).put("currency", l.priceCurrency())
                .put("sku", l.sku()).put("title", l.title()).map());
    }
}
