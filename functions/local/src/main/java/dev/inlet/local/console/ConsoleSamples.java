package dev.inlet.local.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.core.config.Env;
import dev.inlet.core.json.Json;
import dev.inlet.local.cli.SendCommand;
import dev.inlet.local.samples.ProviderSamples;
import dev.inlet.local.samples.SampleRequest;
import dev.inlet.local.samples.Samples;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.UUID;

/**
 * The console's "send a sample" action, local only: what {@code ./inlet send} does (the same samples,
 * signed with the stack's own settings, posted over HTTP to its webhook routes), answered without the
 * token in the path, the signature or the secret.
 */
public final class ConsoleSamples {
    private final Env signingSettings;
    private final URI baseUrl;
    private final Clock clock;

    ConsoleSamples(Env signingSettings, URI baseUrl, Clock clock) {
        this.signingSettings = signingSettings;
        this.baseUrl = baseUrl;
        this.clock = clock;
    }

    ObjectNode send(String provider, String eventType, boolean tamper) throws IOException, InterruptedException {
        ProviderSamples samples = Samples.of(provider).orElseThrow(() ->
                new IllegalArgumentException("unknown provider"));
        if (!samples.eventTypes().contains(eventType)) {
            throw new IllegalArgumentException("unknown " + provider + " event type");
        }
        String id = UUID.randomUUID().toString().substring(0, 12);
        SampleRequest built = samples.build(eventType, signingSettings, clock.instant(), id);
        SampleRequest request = tamper ? samples.tampered(built) : built;
        HttpResponse<String> response = SendCommand.post(URI.create(baseUrl + request.path()), request);
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("provider", provider);
        out.put("eventType", eventType);
        out.put("id", id);
        out.put("tampered", tamper);
        out.put("path", SendCommand.maskedPath(request));
        out.put("status", response.statusCode());
        out.put("answer", response.body());
        return out;
    }
}
