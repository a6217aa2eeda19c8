package dev.inlet.processor.state;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.processing.ReceivedEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * app/uninstalled: the integration is DISCONNECTED (notable: no more webhooks will come). The body is
 * not documented publicly: the shop id is used when present, else the integration is "default".
 */
public final class ReverbUninstallHandler extends EntityHandler {
    public ReverbUninstallHandler(EntityWriter writer) {
        super(writer, "shop_id");
    }

    @Override
    List<Write> writes(ReceivedEvent event) throws Exception {
        JsonNode body = event.json();
        String id = body.path("shop_id").isValueNode() ? body.path("shop_id").asText() : "default";
        return List.of(new Write("integration", id, "DISCONNECTED", Map.of()));
    }

    @Override
    Optional<String> notable(Write write) {
        return Optional.of("app_uninstalled");
    }
}
