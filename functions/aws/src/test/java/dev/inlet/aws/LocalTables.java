package dev.inlet.aws;

import dev.inlet.core.config.Env;
import dev.inlet.embedded.Backends;
import dev.inlet.embedded.LocalResources;
import dev.inlet.embedded.SamTemplate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Fresh, uniquely named copies of template.yaml's tables and queues on the JVM's shared embedded backends. */
public final class LocalTables {
    private LocalTables() {
    }

    public static LocalResources create() {
        return LocalResources.create(SamTemplate.load(SamTemplate.locate()), Backends.shared(),
                "t" + Long.toHexString(System.nanoTime()) + "-", Optional.of(2));
    }

    /** The environment a function would get against those resources. */
    public static Env env(LocalResources resources) {
        Map<String, String> env = new HashMap<>(Backends.shared().awsEnvironment());
        env.put("EVENTS_TABLE", resources.ref("EventsTable").orElseThrow());
        env.put("EVENTS_QUEUE_URL", resources.ref("EventsQueue").orElseThrow());
        return Env.of(env);
    }
}
