package dev.inlet.processor.state;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.processing.EventHandler;
import dev.inlet.core.processing.ReceivedEvent;
import java.util.Map;

/**
 * app/uninstalled: the integration is DISCONNECTED (notable: no more webhooks will come). The body is
 * not documented publicly: the shop id is used when present, else the integration is "default".
 */
public final class ReverbUninstallHandler implements EventHandler {
    private final EntityWriter writer;

    public ReverbUninstallHandler(EntityWriter writer) {
        this.writer = writer;
    }

    @Override
    public void handle(ReceivedEvent event) throws Exception {
        JsonNode body = event.json();
        String id = body.path("shop_id").isValueNode() ? body.path("shop_id").asText() : "default";
        writer.notable(event, "app_uninstalled");
        writer.write(event, "integration", id, "DISCONNECTED", Map.of());
    }
}
