package dev.inlet.local.emulator;

import dev.inlet.core.config.Env;
import dev.inlet.embedded.EmbeddedBackends;
import java.util.HashMap;
import java.util.Map;

/**
 * The environment of a command that talks to the running local stack: the env file's test values,
 * overlaid by the real environment (one vocabulary with Lambda), with the local endpoints and fake
 * credentials unless the environment names others.
 */
public final class LocalEnv {
    private LocalEnv() {
    }

    /** Over {@code environment} (the process environment, or what a test gives {@code Main.run}). */
    public static Env forCommands(Map<String, String> environment) {
        Map<String, String> env = new HashMap<>();
        EnvFile file = Repo.envFile();
        env.putAll(file.forFunction(""));
        env.put("EVENTS_TABLE", "EventsTable");
        env.put("ENTITIES_TABLE", "EntitiesTable");
        env.put("DYNAMODB_ENDPOINT", "http://127.0.0.1:8000");
        env.put("SQS_ENDPOINT", "http://127.0.0.1:9324");
        env.put("EVENTS_QUEUE_URL", "http://127.0.0.1:9324/000000000000/EventsQueue");
        env.put("DEAD_LETTER_QUEUE_URL", "http://127.0.0.1:9324/000000000000/EventsDeadLetterQueue");
        env.putAll(environment);
        // The local bus ./inlet local publishes to (env.json's value is for sam local invoke, which has none).
        env.put("EVENT_BUS_NAME", environment.getOrDefault("EVENT_BUS_NAME", LocalBus.DEFAULT_NAME));
        env.put("AWS_REGION", env.getOrDefault("AWS_REGION", EmbeddedBackends.REGION));
        env.put("AWS_ACCESS_KEY_ID", EmbeddedBackends.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", EmbeddedBackends.SECRET_KEY);
        env.remove("AWS_SESSION_TOKEN");
        env.remove("AWS_CONTAINER_CREDENTIALS_FULL_URI");
        return Env.of(env);
    }
}
