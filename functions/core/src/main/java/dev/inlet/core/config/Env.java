package dev.inlet.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
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
        // Plain branches rather than lambdas here and below: each lambda call site is spun into a class
        // on first use, and these run in every function's init (docs/performance.md, section 1).
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            throw new ConfigException(name, "is required but not set");
        }
        return v.get();
    }

    /**
     * A list setting (every secret setting is one); unset means empty (which, for secrets, rejects
     * everything). See {@link #parseList(String, String)} for the two forms.
     */
    public List<String> list(String name) {
        Optional<String> v = optional(name);
        return v.isEmpty() ? List.of() : parseList(name, v.get());
    }

    /**
     * The one parser of list values, wherever the text comes from (an environment variable, a secret's
     * string). Three forms: a key/value JSON object (the AWS console's default form of a secret; its values
     * are the items), comma-separated ({@code a,b}; items trimmed), or, for items that contain a
     * comma, a JSON array of strings ({@code ["a,b","c"]}; items exactly as written). A value whose first
     * non-blank character is {@code [} is read as JSON and must be an array of strings. Blank items are
     * dropped in both forms.
     *
     * @param name the setting, named in the error (never the value)
     */
    public static List<String> parseList(String name, String value) {
        String text = value.trim();
        if (text.startsWith("{")) {
            return keyValueForm(name, text);
        }
        if (!text.startsWith("[")) {
            // A loop, not a stream: Stream.toList() loads about 17 JDK classes a receiver's init needs for nothing else.
            List<String> items = new ArrayList<>();
            for (String item : text.split(",")) {
                String trimmed = item.trim();
                if (!trimmed.isEmpty()) {
                    items.add(trimmed);
                }
            }
            return List.copyOf(items);
        }
        JsonNode array;
        try {
            array = Json.parse(text);
        } catch (IOException e) {
            array = null;
        }
        if (array == null || !array.isArray()) {
            throw new ConfigException(name, "starts with '[' but is not a JSON array of strings");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                throw new ConfigException(name, "a JSON array form must hold strings only");
            }
            if (!item.asText().isBlank()) {
                items.add(item.asText());
            }
        }
        return List.copyOf(items);
    }

    /**
     * The AWS console's default form of a secret, key/value pairs ({@code {"key":"whsec_..."}}): its
     * values, in order, each one item as written. Anything else that starts with '{' fails, naming the form,
     * never the value; so does an object without a value (it would reject every delivery in silence).
     */
    private static List<String> keyValueForm(String name, String text) {
        JsonNode object;
        try {
            object = Json.parse(text);
        } catch (IOException e) {
            object = null;
        }
        if (object == null || !object.isObject()) {
            throw new ConfigException(name, "starts with '{' but is not a key/value JSON object (the AWS console's "
                    + "key/value secret form)");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : object) {
            if (!item.isTextual()) {
                throw new ConfigException(name, "is a key/value secret whose values must all be strings");
            }
            if (!item.asText().isBlank()) {
                items.add(item.asText().trim());
            }
        }
        if (items.isEmpty()) {
            throw new ConfigException(name, "is a key/value secret without any value");
        }
        return List.copyOf(items);
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
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = URI.create(v.get());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, "must be an absolute URL such as http://127.0.0.1:8000");
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new ConfigException(name, "must be an absolute URL such as http://127.0.0.1:8000");
        }
        return Optional.of(uri);
    }
}
