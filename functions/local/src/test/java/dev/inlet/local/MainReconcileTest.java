package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.config.Env;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ./inlet reconcile} as typed: the command is routed, and mistakes are named before anything is called. */
class MainReconcileTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... argv) {
        return Main.run(List.of(argv), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Env.of(env));
    }

    @Test
    void aProviderWithoutAReconciler_isAUsageError_pointingAtTheDocs() {
        assertEquals(2, run(Map.of(), "reconcile", "rheo"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("rheo has no reconciler yet"), err.toString());
    }

    @Test
    void withoutAToken_itStopsNamingTheVariable_beforeCallingAnything() {
        assertEquals(2, run(Map.of(), "reconcile", "reverb", "--dry-run"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("setting REVERB_API_TOKEN: is not set"), e);
    }

    @Test
    void theUsage_listsTheCommand() {
        run(Map.of(), "help");
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("./inlet reconcile reverb [--since ISO-8601]"));
    }
}
