package dev.inlet.aws.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.config.ConfigException;
import dev.inlet.core.config.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObservabilityTest {
    @Test
    void detailedMetrics_isOnUnlessSetToFalse_andAnythingElseFailsTheInitNamingTheSetting() {
        assertTrue(Observability.detailedMetrics(Env.of(Map.of())));
        assertTrue(Observability.detailedMetrics(Env.of(Map.of("DETAILED_METRICS", "true"))));
        assertFalse(Observability.detailedMetrics(Env.of(Map.of("DETAILED_METRICS", "false"))));
        ConfigException e = assertThrows(ConfigException.class,
                () -> Observability.detailedMetrics(Env.of(Map.of("DETAILED_METRICS", "no"))));
        assertEquals("DETAILED_METRICS: must be true or false", e.getMessage());
    }
}
