package dev.inlet.processor.state;

import dev.inlet.core.processing.EventHandler;
import dev.inlet.core.processing.ReceivedEvent;
import dev.inlet.processor.payload.RheoItem;

/** Rheo item events move the item (by {@code externalId}) to {@code state}; listing.failed is notable. */
public final class RheoItemHandler implements EventHandler {
    private final EntityWriter writer;
    private final String state;

    public RheoItemHandler(EntityWriter writer, String state) {
        this.writer = writer;
        this.state = state;
    }

    @Override
    public void handle(ReceivedEvent event) throws Exception {
        RheoItem item = RheoItem.from(event.json());
        if (item.id().isEmpty()) {
            writer.noEntity(event, "data.externalId and data.rheoItemId");
            return;
        }
        Fields fields = new Fields().put("rheoItemId", item.rheoItemId()).put("platform", item.platform())
                .put("traderaAdId", item.traderaAdId()).put("traderaAdUrl", item.traderaAdUrl());
        if (state.equals("SOLD")) {
            fields.put("salePrice", item.salePrice()).put("currency", item.currency());
        }
        if (state.equals("FAILED")) {
            fields.put("error", item.error());
            writer.notable(event, "listing_failed");
        }
        writer.write(event, "item", item.id().get(), state, fields.map());
    }
}
