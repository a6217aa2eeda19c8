package dev.inlet.aws;

import dev.inlet.core.config.Env;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The one place SDK clients are built: explicit region, credentials provider, HTTP client
 * (url-connection: the fastest cold start measured here, see BUILD-NOTES.md), timeouts that fit inside
 * Rheo's 10 s, and an optional endpoint override for local backends. Built once per container.
 */
public final class AwsClients {
    /**
     * The SDK's time limits: per attempt and per call (retries included), and the HTTP client's connect
     * and socket timeouts.
     */
    public record Timeouts(Duration attempt, Duration call, Duration connect, Duration socket) {
        /** What every function uses: a call, retries included, ends well inside Rheo's 10 s. */
        public static final Timeouts PRODUCTION = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    private final BackendSettings settings;
    private final Timeouts timeouts;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;
    private final ClientOverrideConfiguration overrides;
    private DynamoDbClient dynamo;
    private SqsClient sqs;
    private SecretsManagerClient secretsManager;
    private EventBridgeClient eventBridge;

    public AwsClients(BackendSettings settings) {
        this(settings, new ExecutionInterceptor[0]);
    }

    /** @param interceptors for tests that inject faults at the SDK boundary */
    public AwsClients(BackendSettings settings, ExecutionInterceptor... interceptors) {
        this(settings, Timeouts.PRODUCTION, interceptors);
    }

    /**
     * @param timeouts     {@link Timeouts#PRODUCTION} everywhere but in tests, whose in-JVM backends may be
     *                     slow on a loaded machine
     * @param interceptors for tests that inject faults at the SDK boundary
     */
    public AwsClients(BackendSettings settings, Timeouts timeouts, ExecutionInterceptor... interceptors) {
        this.settings = settings;
        this.timeouts = timeouts;
        this.credentials = credentialsFrom(settings.env());
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(timeouts.connect())
                .socketTimeout(timeouts.socket())
                .build();
        ClientOverrideConfiguration.Builder o = ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(timeouts.attempt())
                .apiCallTimeout(timeouts.call());
        for (ExecutionInterceptor i : interceptors) {
            o.addExecutionInterceptor(i);
        }
        this.overrides = o.build();
    }

    public BackendSettings settings() {
        return settings;
    }

    public Timeouts timeouts() {
        return timeouts;
    }

    /**
     * The longest one call of any client built here can take, retries included (apiCallTimeout): what the
     * processor's batch budget counts per backend call ({@code ProcessingSettings.batchStopMargin}).
     */
    public Duration callTimeout() {
        return timeouts.call();
    }

    /** The one DynamoDB client of this container (built on first use). */
    public synchronized DynamoDbClient dynamoDb() {
        if (dynamo != null) {
            return dynamo;
        }
        dynamo = configured(DynamoDbClient.builder(), settings.dynamoEndpoint());
        return dynamo;
    }

    /** The one SQS client of this container (built on first use). */
    public synchronized SqsClient sqs() {
        if (sqs != null) {
            return sqs;
        }
        sqs = configured(SqsClient.builder(), settings.sqsEndpoint());
        return sqs;
    }

    /** The one Secrets Manager client of this container (built on first use: only receivers given an ARN). */
    public synchronized SecretsManagerClient secretsManager() {
        if (secretsManager != null) {
            return secretsManager;
        }
        secretsManager = configured(SecretsManagerClient.builder(), settings.secretsManagerEndpoint());
        return secretsManager;
    }

    /**
     * The one EventBridge client of this container (built on first use: only the processor, and only when
     * {@code EVENT_BUS_NAME} names a bus; the other function jars do not even hold the class).
     */
    public synchronized EventBridgeClient eventBridge() {
        if (eventBridge != null) {
            return eventBridge;
        }
        eventBridge = configured(EventBridgeClient.builder(), settings.eventBridgeEndpoint());
        return eventBridge;
    }

    /** A client builder with this container's region, credentials, HTTP client, timeouts and endpoint. */
    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C configured(B builder,
                                                                                         Optional<URI> endpoint) {
        builder.region(Region.of(settings.region())).credentialsProvider(credentials).httpClient(http)
                .overrideConfiguration(overrides);
        if (endpoint.isPresent()) {
            builder.endpointOverride(endpoint.get());
        }
        return builder.build();
    }

    /**
     * SnapStart functions get credentials from the container endpoint (they must refresh after restore);
     * other Lambdas and the local stack get them from the environment; the CLI against a deployed stack
     * falls back to the default chain (profiles, SSO...).
     */
    static AwsCredentialsProvider credentialsFrom(Env env) {
        if (env.optional("AWS_CONTAINER_CREDENTIALS_FULL_URI").isPresent()) {
            return ContainerCredentialsProvider.create();
        }
        var key = env.optional("AWS_ACCESS_KEY_ID");
        var secret = env.optional("AWS_SECRET_ACCESS_KEY");
        if (key.isPresent() && secret.isPresent()) {
            var token = env.optional("AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(token.isPresent()
                    ? AwsSessionCredentials.create(key.get(), secret.get(), token.get())
                    : AwsBasicCredentials.create(key.get(), secret.get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
