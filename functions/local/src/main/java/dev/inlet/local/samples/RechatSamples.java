package dev.inlet.local.samples;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.core.config.Env;
import dev.inlet.core.json.Json;
import dev.inlet.rechat.RechatProvider;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Rechat brand webhooks (Deals, Showings, Contacts), signed with the hex-decoded webhook key. */
public final class RechatSamples implements ProviderSamples {
    @Override
    public String provider() {
        return RechatProvider.NAME;
    }

    @Override
    public List<String> eventTypes() {
        return List.of("Deals.Created", "Deals.Updated", "Deals.Deleted", "Showings.showing.created",
                "Contacts.create", "Contacts.update", "Contacts.delete");
    }

    @Override
    public RechatProvider provider(Env env) {
        return RechatProvider.from(env);
    }

    @Override
    public SampleRequest build(String eventType, Env env, Instant now, String id, int bodyBytes) {
        int dot = eventType.indexOf('.');
        String topic = eventType.substring(0, dot);
        String event = eventType.substring(dot + 1);
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("topic", topic);
        body.put("event", event);
        body.put("timestamp", now.toEpochMilli());
        ObjectNode payload = body.putObject("payload");
        BigDecimal seconds = BigDecimal.valueOf(now.toEpochMilli()).movePointLeft(3);
        switch (topic) {
            case "Deals" -> {
                ObjectNode deal = payload.putObject("deal");
                deal.put("id", uuid("deal", id));
                deal.put("type", "deal");
                deal.put("title", "123 Test Street");
                deal.put("deal_type", "Selling");
                deal.put("property_type", "Resale");
                deal.put("brand", uuid("brand", "sample"));
                deal.put("created_at", seconds.subtract(BigDecimal.valueOf(86_400)));
                deal.put("updated_at", seconds);
                if (event.equals("Deleted")) {
                    deal.put("deleted_at", seconds);
                } else {
                    deal.putNull("deleted_at");
                }
            }
            case "Showings" -> {
                ObjectNode showing = payload.putObject("showing");
                showing.put("id", uuid("showing", id));
                showing.put("type", "showing");
                showing.put("deal", uuid("deal", id));
                showing.put("listing", uuid("listing", id));
                showing.put("start_time", seconds.add(BigDecimal.valueOf(172_800)));
                showing.put("duration", 1800);
            }
            default -> {
                ArrayNode data = payload.putArray("data");
                for (int i = 1; i <= 3; i++) {
                    ObjectNode c = data.addObject();
                    c.put("id", uuid("contact", id + "-" + i));
                    c.put("type", "contact");
                    c.put("display_name", "Test Contact " + i);
                    c.put("email", "contact" + i + "@example.com");
                    c.put("phone_number", "+1555010" + String.format("%04d", i));
                    c.put("updated_at", seconds);
                }
                payload.putObject("references");
                payload.putObject("metadata").put("total", 3);
            }
        }
        byte[] bytes = ProviderSamples.padded(body, bodyBytes).toString().getBytes(StandardCharsets.UTF_8);
        RechatProvider rechat = provider(env);
        if (rechat.keyCount() == 0) {
            throw new IllegalStateException("RECHAT_WEBHOOK_KEYS is empty: nothing to sign the sample with");
        }
        return SampleRequest.at("/webhooks/rechat", Map.of("content-type", "application/json",
                "user-agent", "Rechat-Webhooks", RechatProvider.SIGNATURE_HEADER, rechat.sign(0, bytes)), bytes);
    }

    private static String uuid(String kind, String seed) {
        return UUID.nameUUIDFromBytes((kind + ":" + seed).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
