package dev.inlet.processor.state;

import dev.inlet.core.processing.ReceivedEvent;
import dev.inlet.processor.payload.RheoItem;
import java.util.List;
import java.util.Optional;

/** Rheo item events move the item (by {@code externalId}) to {@code state}; listing.failed is notable. */
public final class RheoItemHandler extends EntityHandler {
    private final String state;

    public RheoItemHandler(EntityWriter writer, String state) {
        super(writer, "data.externalId and data.rheoItemId");
        this.state = state;
    }

    @Override
    List<Write> writes(ReceivedEvent event) throws Exception {
        RheoItem item = RheoItem.from(event.json());
        if (item.id().isEmpty()) {
            return List.of();
        }
        Fields fields = new Fields().put("rheoItemId", item.rheoItemId()).put("platform", item.platform())
                .put("traderaAdId", item.traderaAdId()).put("traderaAdUrl", item.traderaAdUrl());
        if (state.equals("SOLD")) {
            fields.put("salePrice", item.salePrice()).put("currency", item.currency());
        }
        if (state.equals("FAILED")) {
            fields.put("error", item.error());
        }
        return List.of(new Write("item", item.id().get(), state, fields.map()));
    }

    @Override
    Optional<String> notable(Write write) {
        return write.state().equals("FAILED") ? Optional.of("listing_failed") : Optional.empty();
    }
}
