package dev.inlet.core.config;

/** A missing or malformed setting. The message names the setting, never its value. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String setting, String problem) {
        super(setting + ": " + problem, null, false, false);
    }
}
