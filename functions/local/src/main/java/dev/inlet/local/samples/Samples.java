package dev.inlet.local.samples;

import java.util.List;
import java.util.Optional;

/** Every provider's samples. */
public final class Samples {
    private static final List<ProviderSamples> ALL = List.of(new RheoSamples(), new ReverbSamples(), new ReuselySamples(), new RechatSamples());

    private Samples() {
    }

    public static List<ProviderSamples> all() {
        return ALL;
    }

    public static Optional<ProviderSamples> of(String provider) {
        return ALL.stream().filter(p -> p.provider().equals(provider)).findFirst();
    }
}
