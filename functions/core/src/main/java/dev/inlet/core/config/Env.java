package dev.inlet.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The environment, read through typed getters. Lambda, {@code ./inlet local} and the
 * {@code sam local invoke} env file all use the same variable names. Values are never put in messages.
 */
public final class Env {
    private final Map<String, String> values;

    private Env(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    public static Env of(Map<String, String> values) {
        return new Env(values);
    }

    public Map<String, String> asMap() {
        return values;
    }

    /** This environment with one variable set (or replaced); e.g. a secret list read at run time. */
    public Env with(String name, String value) {
        Map<String, String> copy = new java.util.HashMap<>(values);
        copy.put(name, value);
        return new Env(copy);
    }

    public Optional<String> optional(String name) {
        String v = values.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public String required(String name) {
        return optional(name).orElseThrow(() -> new ConfigException(name, "is required but not set"));
    }

    /** A comma-separated list; blanks dropped; unset means empty (which, for secrets, rejects everything). */
    public List<String> list(String name) {
        return optional(name)
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    public int positiveInt(String name, int defaultValue) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(v.get());
            if (parsed <= 0) {
                throw new ConfigException(name, "must be a positive whole number");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(name, "must be a positive whole number");
        }
    }

    public Duration seconds(String name, Duration defaultValue) {
        return optional(name).isEmpty() ? defaultValue : Duration.ofSeconds(positiveInt(name, 1));
    }

    public Optional<URI> optionalUri(String name) {
        return optional(name).map(v -> {
            try {
                URI uri = URI.create(v);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw new ConfigException(name, "must be an absolute URL such as http://127.0.0.1:8000");
                }
                return uri;
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, "must be an absolute URL such as http://127.0.0.1:8000");
            }
        });
    }
}
