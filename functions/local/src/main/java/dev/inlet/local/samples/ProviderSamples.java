package dev.inlet.local.samples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.core.config.Env;
import dev.inlet.core.ingest.WebhookProvider;
import dev.inlet.core.json.Json;
import java.time.Instant;
import java.util.List;

/** Realistic, correctly signed sample webhooks of one provider, for {@code ./inlet send} and {@code events/}. */
public interface ProviderSamples {
    String provider();

    /** The event types in the order the provider would usually send them. */
    List<String> eventTypes();

    /**
     * @param env where the signing secrets come from (the same variables the receiver reads)
     * @param id a unique id for this sample (event id, object id seed...)
     */
    default SampleRequest build(String eventType, Env env, Instant now, String id) {
        return build(eventType, env, now, id, 0);
    }

    /**
     * The same sample with its body padded to about {@code bodyBytes} (a {@code notes} field of filler
     * text; 0 for the natural size), signed after padding. For benchmarks by body size.
     */
    SampleRequest build(String eventType, Env env, Instant now, String id, int bodyBytes);

    /** The receiver's rules, configured from {@code env}: signs samples and names their dedup keys. */
    WebhookProvider provider(Env env);

    /**
     * The same request with its authenticity broken where the provider really protects it: by default
     * one flipped byte in the (signed) body.
     */
    /** Pads a JSON object to about {@code bodyBytes} serialized bytes with a {@code notes} field. */
    static ObjectNode padded(ObjectNode body, int bodyBytes) {
        int missing = bodyBytes - Json.write(body).length() - ",\"notes\":\"\"".length();
        if (missing > 0) {
            StringBuilder filler = new StringBuilder(missing);
            for (int i = 0; filler.length() < missing; i++) {
                filler.append((char) ('a' + Math.floorMod(i * 7919 + i / 26, 26)));
            }
            body.put("notes", filler.toString());
        }
        return body;
    }

    default SampleRequest tampered(SampleRequest r) {
        byte[] body = r.body().clone();
        body[body.length / 2] ^= 0x01;
        return new SampleRequest(r.path(), r.route(), r.pathParameters(), r.headers(), body);
    }
}
