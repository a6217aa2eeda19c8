package dev.inlet.local;

import dev.inlet.core.config.Env;
import dev.inlet.core.ingest.WebhookProvider;
import dev.inlet.embedded.SamTemplate;
import dev.inlet.local.emulator.EnvFile;
import dev.inlet.local.samples.Samples;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the fuzz targets need from this package: the test environment and the providers' rules. */
public final class FuzzSupport {
    private FuzzSupport() {
    }

    public static Env testEnv() {
        return Env.of(EnvFile.load(SamTemplate.locate().resolveSibling("events/env.json")).forFunction(""));
    }

    public static Map<String, WebhookProvider> providers(Env env) {
        Map<String, WebhookProvider> out = new LinkedHashMap<>();
        Samples.all().forEach(s -> out.put(s.provider(), s.provider(env)));
        return out;
    }
}
