package dev.inlet.local;

import dev.inlet.core.config.Env;
import java.time.Instant;
import java.util.List;

/** Realistic, correctly signed sample webhooks of one provider, for {@code ./inlet send} and {@code events/}. */
public interface ProviderSamples {
    String provider();

    /** The event types in the order the provider would usually send them. */
    List<String> eventTypes();

    /**
     * @param env where the signing secrets come from (the same variables the receiver reads)
     * @param id a unique id for this sample (used where the provider has an event id)
     */
    SampleRequest build(String eventType, Env env, Instant now, String id);
}
