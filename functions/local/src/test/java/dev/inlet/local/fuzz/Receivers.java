package dev.inlet.local.fuzz;

import dev.inlet.core.config.Env;
import dev.inlet.core.ingest.WebhookProvider;
import dev.inlet.local.FuzzSupport;
import java.util.List;
import java.util.Map;

/** The four receivers' rules, configured with the test secrets of events/env.json. */
final class Receivers {
    static final Env ENV = FuzzSupport.testEnv();
    static final List<String> NAMES = List.of("rheo", "reverb", "reusely", "rechat");
    static final Map<String, WebhookProvider> BY_NAME = FuzzSupport.providers(ENV);

    private Receivers() {
    }

    static WebhookProvider pick(byte selector) {
        return BY_NAME.get(NAMES.get(Math.floorMod(selector, NAMES.size())));
    }
}
