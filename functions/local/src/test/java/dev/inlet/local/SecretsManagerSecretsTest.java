package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.lambda.HttpApiEvent;
import dev.inlet.aws.lambda.HttpApiResponse;
import dev.inlet.aws.lambda.HttpReceiver;
import dev.inlet.aws.lambda.Observability;
import dev.inlet.aws.lambda.ReceiverFunction;
import dev.inlet.aws.testing.TestClients;
import dev.inlet.core.config.ConfigException;
import dev.inlet.core.config.Env;
import dev.inlet.core.signature.HmacKeys;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.core.testing.MutableClock;
import dev.inlet.embedded.Backends;
import dev.inlet.embedded.LocalResources;
import dev.inlet.embedded.MotoServer;
import dev.inlet.embedded.SamTemplate;
import dev.inlet.local.emulator.HttpApiEvents;
import dev.inlet.local.emulator.LocalStack;
import dev.inlet.local.samples.RheoSamples;
import dev.inlet.local.samples.SampleRequest;
import dev.inlet.rechat.RechatProvider;
import dev.inlet.rechat.RechatReceiver;
import dev.inlet.rheo.RheoProvider;
import dev.inlet.rheo.RheoReceiver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;

/**
 * Receivers read their secret list from Secrets Manager at run time, by ARN, against a real Secrets
 * Manager API (moto's server; see {@link Tools} where it is not installed), DynamoDB Local and
 * ElasticMQ. Time moves by an injected clock; Secrets Manager calls are counted, and failed, at the SDK
 * boundary. No secret value may reach a log line.
 */
class SecretsManagerSecretsTest {
    private static final String OLD = "whsec_test_sm_old_not_a_real_secret_0001";
    private static final String NEW = "whsec_test_sm_new_not_a_real_secret_0002";
    private static final String FORGED = "whsec_test_sm_forger_not_a_real_secret_9";
    private static final List<String> VALUES = List.of(OLD, NEW, FORGED);

    private static MotoServer moto;
    private static Map<String, String> baseEnv;
    private static SecretsManagerClient admin;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final CapturingSink sink = new CapturingSink();
    private final AtomicInteger reads = new AtomicInteger();
    private final FaultInjector faults = new FaultInjector();
    private int sent;

    @BeforeAll
    static void start() throws Exception {
        Tools.require(Tools.MOTO_SERVER);
        moto = MotoServer.start();
        LocalResources resources = LocalResources.create(SamTemplate.load(SamTemplate.locate()),
                Backends.shared(), "sm" + Long.toHexString(System.nanoTime()) + "-", Optional.of(2));
        baseEnv = new HashMap<>(Backends.shared().awsEnvironment());
        baseEnv.put("EVENTS_TABLE", resources.ref("EventsTable").orElseThrow());
        baseEnv.put("EVENTS_QUEUE_URL", resources.ref("EventsQueue").orElseThrow());
        baseEnv.put("SECRETS_MANAGER_ENDPOINT", moto.endpoint().toString());
        baseEnv.put("RHEO_TIMESTAMP_TOLERANCE_SECONDS", "900");
        admin = TestClients.of(BackendSettings.from(Env.of(baseEnv))).secretsManager();
    }

    @AfterAll
    static void stop() {
        if (moto != null) {
            moto.close();
        }
    }

    @AfterEach
    void noSecretValueInAnyLogLine() {
        String logs = sink.all();
        for (String value : VALUES) {
            assertFalse(logs.contains(value), "a secret value reached a log line (value hidden)");
        }
    }

    @Test
    void rheoFunction_readsItsSecretByArn_andAcceptsAWebhookSignedWithIt() {
        String arn = createSecret(OLD);
        Env env = env("RHEO_WEBHOOK_SECRETS_ARN", arn);
        RheoReceiver function = new RheoReceiver(env, clock, Observability.to(sink, clock));

        HttpApiResponse response = HttpApiEvents.invoke(function, event(OLD), null);

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"status\":\"accepted\"}", response.body());
        assertEquals(1, sink.count("\"event\":\"secret_read\""));
    }

    @Test
    void valueReplacedInSecretsManager_isAcceptedByTheRunningInstance_withoutARestart() {
        String arn = createSecret(OLD);
        HttpReceiver receiver = receiver(env("RHEO_WEBHOOK_SECRETS_ARN", arn));
        assertEquals(200, send(receiver, OLD).statusCode());

        admin.putSecretValue(r -> r.secretId(arn).secretString(NEW));
        clock.advance(Duration.ofSeconds(1));   // well inside the 300 s cache

        assertEquals(200, send(receiver, NEW).statusCode(), "the no-match re-read found the new value");
        assertEquals(2, reads.get(), "one read at first use, one after the unknown signature");
    }

    @Test
    void retiredValue_isRefused_onceTheInstanceHasReadTheNewList() {
        String arn = createSecret(OLD + "," + NEW);
        HttpReceiver receiver = receiver(env("RHEO_WEBHOOK_SECRETS_ARN", arn));
        assertEquals(200, send(receiver, OLD).statusCode());
        assertEquals(200, send(receiver, NEW).statusCode(), "both values work during the rotation");

        admin.putSecretValue(r -> r.secretId(arn).secretString(NEW));   // the old value is removed
        clock.advance(Duration.ofSeconds(301));                          // the 300 s cache has run out

        HttpApiResponse old = send(receiver, OLD);
        assertEquals(401, old.statusCode());
        assertEquals("{\"error\":\"bad_signature\"}", old.body());
        assertEquals(200, send(receiver, NEW).statusCode());
    }

    @Test
    void secretsManagerFailing_afterASuccessfulRead_keepsServingFromTheCache() {
        String arn = createSecret(OLD);
        HttpReceiver receiver = receiver(env("RHEO_WEBHOOK_SECRETS_ARN", arn));
        assertEquals(200, send(receiver, OLD).statusCode());

        faults.failAlways("GetSecretValue", FaultInjector.When.BEFORE_SEND);
        clock.advance(Duration.ofSeconds(301));

        assertEquals(200, send(receiver, OLD).statusCode(), "the cached list still verifies");
        assertEquals(401, send(receiver, FORGED).statusCode(), "and still refuses what it does not hold");
        assertTrue(faults.injected() >= 1, "the cache expiry did try Secrets Manager");
        assertTrue(sink.lines().stream().anyMatch(l -> l.contains("\"event\":\"secret_read_failed\"")
                && l.contains("\"servingCached\":true") && l.contains("RHEO_WEBHOOK_SECRETS_ARN")));
    }

    @Test
    void firstReadFailing_answers503SoTheProviderRetries_withASecretUnavailableLogLineAndMetric() {
        String arn = createSecret(OLD);
        HttpReceiver receiver = receiver(env("RHEO_WEBHOOK_SECRETS_ARN", arn));
        faults.failAlways("GetSecretValue", FaultInjector.When.BEFORE_SEND);

        HttpApiResponse response = send(receiver, OLD);

        assertEquals(503, response.statusCode());
        assertEquals("{\"error\":\"unavailable\"}", response.body());
        assertTrue(sink.lines().stream().anyMatch(l -> l.contains("\"event\":\"secret_unavailable\"")
                && l.contains("RHEO_WEBHOOK_SECRETS_ARN")), sink.all());
        assertTrue(sink.lines().stream().anyMatch(l -> l.contains("\"_aws\"") && l.contains("secret_unavailable")),
                "the secret_unavailable metric");

        faults.heal();
        clock.advance(Duration.ofSeconds(11));
        assertEquals(200, send(receiver, OLD).statusCode(), "the provider's retry succeeds once it can be read");
    }

    @Test
    void forgedTraffic_readsTheSecretAtMostOncePerMissRefreshInterval() {
        String arn = createSecret(OLD);
        HttpReceiver receiver = receiver(env("RHEO_WEBHOOK_SECRETS_ARN", arn));
        assertEquals(200, send(receiver, OLD).statusCode());
        assertEquals(1, reads.get());

        for (int i = 0; i < 30; i++) {
            assertEquals(401, send(receiver, FORGED).statusCode());
        }
        assertEquals(2, reads.get(), "30 forged requests at once: one re-read");

        clock.advance(Duration.ofSeconds(9));
        for (int i = 0; i < 30; i++) {
            send(receiver, FORGED);
        }
        assertEquals(2, reads.get(), "none within SECRETS_MISS_REFRESH_SECONDS (10 s)");

        clock.advance(Duration.ofSeconds(2));
        for (int i = 0; i < 30; i++) {
            send(receiver, FORGED);
        }
        assertEquals(3, reads.get(), "one more once the interval has passed");
    }

    @Test
    void snapStartPriming_readsNoSecret() {
        String arn = createSecret(OLD);
        RheoReceiver function = new RheoReceiver(env("RHEO_WEBHOOK_SECRETS_ARN", arn), clock,
                Observability.to(sink, clock));

        function.priming().prime();
        admin.putSecretValue(r -> r.secretId(arn).secretString(NEW));

        assertEquals(0, sink.count("secret_read"), "priming read nothing: " + sink.all());
        assertEquals(401, HttpApiEvents.invoke(function, event(OLD), null).statusCode(),
                "had priming cached the old value, it would still be accepted");
        assertEquals(200, HttpApiEvents.invoke(function, event(NEW), null).statusCode());
    }

    @Test
    void emptyPlainVariable_countsAsUnset_soTheArnIsUsed() {
        String arn = createSecret(OLD);
        Env env = env("RHEO_WEBHOOK_SECRETS_ARN", arn).with("RHEO_WEBHOOK_SECRETS", "");

        assertEquals(200, HttpApiEvents.invoke(new RheoReceiver(env, clock, Observability.to(sink, clock)),
                event(OLD), null).statusCode());
    }

    @Test
    void rechatKeysFromSecretsManager_areHexDecoded_andAMalformedKeyIsAnErrorNamingTheVariableNotTheValue() {
        String key = "5e".repeat(32);
        String arn = createSecret(key);
        Env env = env("RECHAT_WEBHOOK_KEYS_ARN", arn);
        HttpReceiver rechat = ReceiverFunction.compose(RechatReceiver.SECRETS, RechatProvider::from, env,
                TestClients.of(BackendSettings.from(env), counter()), clock, Observability.to(sink, clock));
        byte[] body = ("{\"topic\":\"Deals\",\"event\":\"Created\",\"timestamp\":" + clock.instant().toEpochMilli()
                + ",\"payload\":{\"deal\":{\"id\":\"d-1\"}}}").getBytes(StandardCharsets.UTF_8);
        String signature = HexFormat.of().formatHex(HmacKeys.hmacSha256(HexFormat.of().parseHex(key), body));
        assertEquals(200, rechat.handle(new HttpApiEvent(Map.of("x-rechat-signature", signature), Map.of(),
                new String(body, StandardCharsets.UTF_8), false, "r-1")).statusCode(), "keyed with the decoded bytes");

        String malformed = "test-not-hex-rechat-key-" + "z".repeat(40);
        String arn2 = createSecret(malformed);
        Env env2 = env("RECHAT_WEBHOOK_KEYS_ARN", arn2);
        HttpReceiver broken = ReceiverFunction.compose(RechatReceiver.SECRETS, RechatProvider::from, env2,
                TestClients.of(BackendSettings.from(env2)), clock, Observability.to(sink, clock));
        HttpApiResponse response = broken.handle(new HttpApiEvent(Map.of("x-rechat-signature", signature), Map.of(),
                new String(body, StandardCharsets.UTF_8), false, "r-2"));

        assertEquals(503, response.statusCode(), "nothing usable was ever read");
        assertTrue(sink.lines().stream().anyMatch(l -> l.contains("\"event\":\"secret_read_failed\"")
                && l.contains("RECHAT_WEBHOOK_KEYS_ARN") && l.contains("64 hex characters")), sink.all());
        assertFalse(sink.all().contains(malformed), "the malformed value is never logged");
        assertFalse(sink.all().contains(key), "nor the good key");
    }

    @Test
    void rotationFailureAndForgery_withStdoutAndStderrCaptured_leaveNoSecretValueInAnyOutput() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
        try {
            String arn = createSecret(OLD);
            HttpReceiver receiver = receiver(env("RHEO_WEBHOOK_SECRETS_ARN", arn));
            send(receiver, OLD);
            send(receiver, FORGED);
            admin.putSecretValue(r -> r.secretId(arn).secretString(OLD + "," + NEW));
            clock.advance(Duration.ofSeconds(11));
            send(receiver, NEW);
            faults.failAlways("GetSecretValue", FaultInjector.When.AFTER_RESPONSE);
            clock.advance(Duration.ofSeconds(301));
            send(receiver, FORGED);
            send(receiver, NEW);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertTrue(sink.count("secret_read") >= 3, "reads, a failed read and requests were logged");
        String all = sink.all() + "\n" + console.toString(StandardCharsets.UTF_8);
        for (String value : VALUES) {
            assertFalse(all.contains(value), "a secret value reached the output (value hidden)");
        }
    }

    @Test
    void inletLocal_withAnArnInTheEnvironment_readsTheSecretFromSecretsManager_insteadOfTheEnvFileList() throws Exception {
        String arn = createSecret(OLD);
        try (LocalStack stack = LocalStack.start(LocalStack.Options.forTests().withPolling(false).withSink(sink)
                .withProcessEnv(Map.of("RHEO_WEBHOOK_SECRETS_ARN", arn,
                        "SECRETS_MANAGER_ENDPOINT", moto.endpoint().toString())))) {
            Map<String, String> env = stack.environmentOf("RheoReceiverFunction");
            assertFalse(env.containsKey("RHEO_WEBHOOK_SECRETS"), "the env file's test list is not also set");
            StackClient client = new StackClient(stack, "RheoReceiverFunction");

            SampleRequest signed = new RheoSamples().build("item.sold", Env.of(Map.of("RHEO_WEBHOOK_SECRETS", OLD)),
                    Instant.now(), "sm_local_1");

            assertEquals(200, client.post(signed).statusCode());
        }
    }

    private HttpReceiver receiver(Env env) {
        return ReceiverFunction.compose(RheoReceiver.SECRETS, RheoProvider::from, env,
                TestClients.of(BackendSettings.from(env), counter(), faults), clock, Observability.to(sink, clock));
    }

    /** Counts GetSecretValue calls at the SDK boundary. */
    private ExecutionInterceptor counter() {
        return new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof GetSecretValueRequest) {
                    reads.incrementAndGet();
                }
            }
        };
    }

    private Env env(String arnVariable, String arn) {
        Map<String, String> env = new HashMap<>(baseEnv);
        env.put(arnVariable, arn);
        return Env.of(env);
    }

    private String createSecret(String value) {
        return admin.createSecret(r -> r.name("inlet/test-" + System.nanoTime()).secretString(value)).arn();
    }

    private HttpApiResponse send(HttpReceiver receiver, String secret) {
        byte[] body = body();
        return receiver.handle(new HttpApiEvent(Map.of("x-rheo-signature", sign(secret, body)), Map.of(),
                new String(body, StandardCharsets.UTF_8), false, "req-" + sent));
    }

    private byte[] event(String secret) {
        byte[] body = body();
        return HttpApiEvents.json("POST", "/webhooks/rheo", "/webhooks/rheo", Map.of(),
                Map.of("X-Rheo-Signature", sign(secret, body), "Content-Type", "application/json"), body,
                "req-" + sent, clock.instant()).toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] body() {
        sent++;
        return ("{\"eventId\":\"evt_sm_" + System.nanoTime() + "\",\"timestamp\":\"" + clock.instant()
                + "\",\"eventType\":\"item.sold\",\"data\":{\"externalId\":\"SKU-1\"}}").getBytes(StandardCharsets.UTF_8);
    }

    private static String sign(String secret, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(HmacKeys.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), body));
    }
}
