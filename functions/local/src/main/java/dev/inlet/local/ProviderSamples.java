package dev.inlet.local;

import dev.inlet.core.config.Env;
import dev.inlet.core.ingest.WebhookProvider;
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
    SampleRequest build(String eventType, Env env, Instant now, String id);

    /** The receiver's rules, configured from {@code env}: signs samples and names their dedup keys. */
    WebhookProvider provider(Env env);

    /**
     * The same request with its authenticity broken where the provider really protects it: by default
     * one flipped byte in the (signed) body.
     */
    default SampleRequest tampered(SampleRequest r) {
        byte[] body = r.body().clone();
        body[body.length / 2] ^= 0x01;
        return new SampleRequest(r.path(), r.route(), r.pathParameters(), r.headers(), body);
    }
}
