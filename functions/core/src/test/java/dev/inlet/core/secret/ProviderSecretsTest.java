package dev.inlet.core.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.config.ConfigException;
import dev.inlet.core.config.Env;
import dev.inlet.core.ingest.Headers;
import dev.inlet.core.ingest.RawRequest;
import dev.inlet.core.ingest.Verification;
import dev.inlet.core.ingest.WebhookProvider;
import dev.inlet.core.observe.Log;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.core.testing.MutableClock;
import dev.inlet.core.testing.TestProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Where a receiver's secret list comes from, and when it is read (the reader is a small in-memory fake). */
class ProviderSecretsTest {
    private static final String VARIABLE = "TEST_SECRETS";
    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:000000000000:secret:inlet/test-AbCdEf";
    private static final Function<Env, WebhookProvider> BUILD = env -> new TestProvider(env.list(VARIABLE));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final CapturingSink sink = new CapturingSink();
    private final List<String> reads = new ArrayList<>();
    private String stored = TestProvider.SECRET;
    private final SecretReader reader = id -> {
        reads.add(id);
        return stored;
    };

    private WebhookProvider provider(Map<String, String> env) {
        return ProviderSecrets.provider(Env.of(env), VARIABLE, BUILD, () -> reader, clock, new Log(sink, clock));
    }

    private static RawRequest signed() {
        byte[] body = TestProvider.body("e1", "t", Instant.now());
        return new RawRequest(body, Headers.of(Map.of("x-test-signature", TestProvider.sign(body))), Map.of(), "r");
    }

    @Test
    void theRefreshingWrapper_passesOnTheProvidersIntakeRules() throws Exception {
        Instant signedAt = Instant.parse("2026-11-25T09:00:00Z");
        Function<Env, WebhookProvider> build = env -> new WebhookProvider() {
            private final TestProvider inner = new TestProvider(env.list(VARIABLE));
            @Override public String name() { return inner.name(); }
            @Override public Verification verify(RawRequest r) { return inner.verify(r); }
            @Override public dev.inlet.core.ingest.Envelope read(RawRequest r) throws
                    dev.inlet.core.ingest.UnreadableBodyException, dev.inlet.core.ingest.TimestampException {
                return inner.read(r);
            }
            @Override public java.util.Optional<Duration> timestampTolerance() { return inner.timestampTolerance(); }
            @Override public java.util.Optional<Instant> signedTime(RawRequest r) { return java.util.Optional.of(signedAt); }
            @Override public String quarantineKey(RawRequest r) { return "signed-fields"; }
            @Override public boolean hidesRoute() { return true; }
        };

        WebhookProvider p = ProviderSecrets.provider(Env.of(Map.of(VARIABLE + "_ARN", ARN)), VARIABLE, build,
                () -> reader, clock, new Log(sink, clock));

        assertTrue(p.hidesRoute(), "Reverb's route hiding survives the wrapper");
        assertEquals(java.util.Optional.of(signedAt), p.signedTime(signed()), "so does Reusely's signed window");
        assertEquals("signed-fields", p.quarantineKey(signed()));
    }

    @Test
    void plainList_isUsedAsIs_andNothingIsRead() {
        WebhookProvider p = provider(Map.of(VARIABLE, TestProvider.SECRET, VARIABLE + "_ARN", ""));

        assertInstanceOf(Verification.Verified.class, p.verify(signed()));
        assertTrue(reads.isEmpty());
    }

    @Test
    void arn_isReadOnFirstUse_notAtConstruction_andCachedForTheCachePeriod() {
        WebhookProvider p = provider(Map.of(VARIABLE + "_ARN", ARN, "SECRETS_CACHE_SECONDS", "60"));
        assertTrue(reads.isEmpty(), "nothing read at init (SnapStart snapshots are taken after init)");

        assertInstanceOf(Verification.Verified.class, p.verify(signed()));
        clock.advance(Duration.ofSeconds(59));
        p.verify(signed());
        assertEquals(List.of(ARN), reads);

        clock.advance(Duration.ofSeconds(1));
        p.verify(signed());
        assertEquals(2, reads.size(), "read again once SECRETS_CACHE_SECONDS have passed");
    }

    @Test
    void primingVerifies_withoutReadingTheSecret() {
        WebhookProvider p = provider(Map.of(VARIABLE + "_ARN", ARN));

        p.forPriming().verify(signed());

        assertTrue(reads.isEmpty());
    }

    @Test
    void bothSet_failsTheStart_namingBothVariablesAndNoValue() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> provider(Map.of(VARIABLE, TestProvider.SECRET, VARIABLE + "_ARN", ARN)));

        assertTrue(e.getMessage().startsWith(VARIABLE + " and " + VARIABLE + "_ARN:"), e.getMessage());
        assertFalse(e.getMessage().contains(TestProvider.SECRET));
        assertFalse(e.getMessage().contains(ARN));
    }

    @Test
    void arnVariableHoldingSomethingElse_failsTheStartNamingTheVariable() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> provider(Map.of(VARIABLE + "_ARN", "inlet/test")));

        assertTrue(e.getMessage().startsWith(VARIABLE + "_ARN:"));
        assertFalse(e.getMessage().contains("inlet/test"));
    }

    @Test
    void neverRead_isUnavailable_andTheFailedReadIsRetriedAfterTheMissInterval() {
        WebhookProvider p = ProviderSecrets.provider(Env.of(Map.of(VARIABLE + "_ARN", ARN)), VARIABLE, BUILD,
                () -> id -> {
                    reads.add(id);
                    throw new SecretUnavailableException("AccessDeniedException");
                }, clock, new Log(sink, clock));

        Verification v = p.verify(signed());
        p.verify(signed());

        assertInstanceOf(Verification.Unavailable.class, v);
        assertEquals(VARIABLE + "_ARN: AccessDeniedException", ((Verification.Unavailable) v).reason());
        assertEquals(1, reads.size(), "a failed read is not retried on every request");
        clock.advance(Duration.ofSeconds(10));
        p.verify(signed());
        assertEquals(2, reads.size());
    }

    @Test
    void listReadFromTheSecret_goesThroughTheSameParserAsThePlainVariable() {
        stored = " other-not-real , " + TestProvider.SECRET + " ,";
        WebhookProvider p = provider(Map.of(VARIABLE + "_ARN", ARN));

        assertInstanceOf(Verification.Verified.class, p.verify(signed()));
    }

    @Test
    void aKeyValueSecret_theAwsConsolesDefaultForm_isReadAsItsValues_notAsOneBogusKey() {
        // Secrets Manager's console stores {"key":"value"} unless told otherwise ("Plaintext").
        stored = "{\"current\":\"" + TestProvider.SECRET + "\",\"previous\":\"other-not-real\"}";
        WebhookProvider p = provider(Map.of(VARIABLE + "_ARN", ARN));

        assertInstanceOf(Verification.Verified.class, p.verify(signed()));
    }

    @Test
    void aKeyValueSecretWithANonTextValue_failsTheRead_namingTheFormButNeverTheValue() {
        stored = "{\"current\":[\"" + TestProvider.SECRET + "\"]}";
        WebhookProvider p = provider(Map.of(VARIABLE + "_ARN", ARN));

        Verification v = p.verify(signed());

        assertInstanceOf(Verification.Unavailable.class, v, "no list was ever read: unavailable, not a silent 401");
        String failed = sink.lines().stream().filter(l -> l.contains("secret_read_failed")).findFirst().orElseThrow();
        assertTrue(failed.contains("key/value secret"), failed);
        assertFalse(failed.contains(TestProvider.SECRET), "never the value: " + failed);
    }
}
