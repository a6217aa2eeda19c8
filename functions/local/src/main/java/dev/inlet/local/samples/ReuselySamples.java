package dev.inlet.local.samples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.core.config.Env;
import dev.inlet.core.json.Json;
import dev.inlet.reusely.ReuselyProvider;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Reusely webhooks: the offer envelope, {@code Authorization} signed over object_id + timestamp. */
public final class ReuselySamples implements ProviderSamples {
    @Override
    public String provider() {
        return ReuselyProvider.NAME;
    }

    @Override
    public List<String> eventTypes() {
        return List.of("offer.created", "offer.status.updated");
    }

    @Override
    public ReuselyProvider provider(Env env) {
        return ReuselyProvider.from(env);
    }

    @Override
    public SampleRequest build(String type, Env env, Instant now, String id, int bodyBytes) {
        long objectId = 10_000 + Math.floorMod(id.hashCode(), 90_000);
        boolean created = type.equals("offer.created");
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("object", "offer");
        body.put("object_id", objectId);
        body.put("timestamp", Long.toString(now.getEpochSecond()));
        body.put("type", type);
        ObjectNode data = body.putObject("data");
        data.put("box_id", "BX-" + objectId);
        data.put("status_id", created ? 1 : 4);
        data.put("status", created ? "Offer Created" : "Device Received");
        data.put("payout_amount", "120.00");
        data.put("payout_currency_symbol", "$");
        data.put("customer_email", "jane.doe@example.com");
        data.put("customer_name", "Jane Doe");
        if (created) {
            data.putNull("tracking_number");
        } else {
            data.put("tracking_number", "1Z999AA10123456784");
        }
        data.put("created_at", now.minusSeconds(600).toString());
        byte[] bytes = ProviderSamples.padded(body, bodyBytes).toString().getBytes(StandardCharsets.UTF_8);
        ReuselyProvider reusely = provider(env);
        if (reusely.secretCount() == 0) {
            throw new IllegalStateException("REUSELY_WEBHOOK_SECRETS is empty: nothing to sign the sample with");
        }
        return SampleRequest.at("/webhooks/reusely", Map.of("content-type", "application/json",
                "user-agent", "Reusely-Webhook/1.0", "authorization", reusely.sign(0, bytes)), bytes);
    }

    /** Reusely signs object_id + timestamp only: move the timestamp by one second. */
    @Override
    public SampleRequest tampered(SampleRequest r) {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        int at = body.indexOf("\"timestamp\":\"") + 13;
        int end = body.indexOf('"', at);
        String moved = Long.toString(Long.parseLong(body.substring(at, end)) + 1);
        return new SampleRequest(r.path(), r.route(), r.pathParameters(), r.headers(),
                (body.substring(0, at) + moved + body.substring(end)).getBytes(StandardCharsets.UTF_8));
    }
}
