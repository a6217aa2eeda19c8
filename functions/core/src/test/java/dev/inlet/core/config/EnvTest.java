package dev.inlet.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {
    @Test
    void list_splitsOnCommasAndDropsBlanks() {
        Env env = Env.of(Map.of("S", " a , b,, c "));

        assertEquals(List.of("a", "b", "c"), env.list("S"));
        assertEquals(List.of(), env.list("MISSING"));
    }

    @Test
    void list_inItsJsonArrayForm_keepsItemsThatContainCommas() {
        Env env = Env.of(Map.of("S", " [\"test,secret,one\", \"two\", \"\", \" spaced \"] "));

        assertEquals(List.of("test,secret,one", "two", " spaced "), env.list("S"));
        assertEquals(List.of("a,b", "c"), Env.parseList("SECRET_STRING", "[\"a,b\",\"c\"]"));
    }

    @Test
    void list_inTheAwsConsolesKeyValueForm_isItsValues() {
        assertEquals(List.of("test-whsec-one", "test-whsec-two"),
                Env.parseList("SECRET_STRING", " {\"key\": \" test-whsec-one \", \"old\": \"test-whsec-two\", \"x\": \"\"} "));
    }

    @Test
    void list_inAKeyValueFormWithoutTextValues_failsNamingTheFormButNotTheValue() {
        for (String bad : List.of("{\"key\": 1}", "{\"key\": [\"test-a\"]}", "{}", "{\"key\": \"test-unclosed")) {
            ConfigException e = assertThrows(ConfigException.class, () -> Env.parseList("RHEO_WEBHOOK_SECRETS", bad), bad);

            assertTrue(e.getMessage().startsWith("RHEO_WEBHOOK_SECRETS:") && e.getMessage().contains("key/value"),
                    e.getMessage());
            assertFalse(e.getMessage().contains("test-"), "never the value");
        }
    }

    @Test
    void list_thatStartsLikeJsonButIsNotAnArrayOfStrings_failsNamingTheSettingButNotTheValue() {
        for (String bad : List.of("[\"test-unclosed", "[1,2]", "[\"ok\",{\"a\":\"test-x\"}]", "[[\"test-n\"]]")) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> Env.of(Map.of("RHEO_WEBHOOK_SECRETS", bad)).list("RHEO_WEBHOOK_SECRETS"), bad);

            assertTrue(e.getMessage().startsWith("RHEO_WEBHOOK_SECRETS:"), e.getMessage());
            assertFalse(e.getMessage().contains("test-"), "never the value");
        }
    }

    @Test
    void handlerTimeoutNotShorterThanTheLease_failsNamingIt() {
        ConfigException e = assertThrows(ConfigException.class, () -> ProcessingSettings.from(Env.of(Map.of(
                "PROCESSING_LEASE_SECONDS", "30", "HANDLER_TIMEOUT_SECONDS", "30")), Duration.ofSeconds(5)));

        assertTrue(e.getMessage().startsWith("HANDLER_TIMEOUT_SECONDS:"));
    }

    @Test
    void batchStopMargin_isTheHandlerBoundPlusEveryBackendCallOfOneEvent_atTheClientsCallTimeout() {
        // claim, body read, outcome, then the dead-letter send or the publish and its mark: 5 calls of at
        // most 5 s, plus the 10 s handler bound
        assertEquals(Duration.ofSeconds(35), ProcessingSettings.from(Env.of(Map.of()), Duration.ofSeconds(5))
                .batchStopMargin());
    }

    @Test
    void maxReceives_isReadAsTheFormerNameOfMaxAttempts_andAConflictFailsNamingIt() {
        assertEquals(3, ProcessingSettings.from(Env.of(Map.of("MAX_RECEIVES", "3")), Duration.ofSeconds(5))
                .maxAttempts());
        assertEquals(4, ProcessingSettings.from(Env.of(Map.of("MAX_ATTEMPTS", "4")), Duration.ofSeconds(5))
                .maxAttempts());
        ConfigException e = assertThrows(ConfigException.class, () -> ProcessingSettings.from(Env.of(Map.of(
                "MAX_ATTEMPTS", "4", "MAX_RECEIVES", "5")), Duration.ofSeconds(5)));
        assertTrue(e.getMessage().startsWith("MAX_RECEIVES:"), e.getMessage());
    }

    @Test
    void malformedNumber_namesTheSettingButNotTheValue() {
        Env env = Env.of(Map.of("MAX_BODY_BYTES", "lots-secret-ish"));

        ConfigException e = assertThrows(ConfigException.class, () -> IntakeSettings.from(env));

        assertTrue(e.getMessage().startsWith("MAX_BODY_BYTES:"));
        assertFalse(e.getMessage().contains("lots-secret-ish"));
    }

    @Test
    void missingRequiredSetting_namesIt() {
        ConfigException e = assertThrows(ConfigException.class, () -> Env.of(Map.of()).required("EVENTS_TABLE"));

        assertEquals("EVENTS_TABLE: is required but not set", e.getMessage());
    }

    @Test
    void defaults_applyWhenUnset() {
        IntakeSettings s = IntakeSettings.from(Env.of(Map.of()));

        assertEquals(262_144, s.maxBodyBytes());
        assertEquals(Duration.ofSeconds(30), s.intakeLease());
        assertEquals(Duration.ofDays(30), s.retention());
    }

    @Test
    void malformedUrl_isRejectedWithTheSettingName() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Env.of(Map.of("DYNAMODB_ENDPOINT", "localhost")).optionalUri("DYNAMODB_ENDPOINT"));

        assertTrue(e.getMessage().startsWith("DYNAMODB_ENDPOINT:"));
    }
}
