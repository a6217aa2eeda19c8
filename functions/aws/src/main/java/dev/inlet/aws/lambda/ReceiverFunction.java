package dev.inlet.aws.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.secretsmanager.SecretsManagerReader;
import dev.inlet.core.config.Env;
import dev.inlet.core.config.IntakeSettings;
import dev.inlet.core.ingest.WebhookProvider;
import dev.inlet.core.secret.ProviderSecrets;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Lambda handler of every receiver: a provider's rules plus the shared composition (AWS clients,
 * store, queue, intake). A provider's function is a subclass that only names its secret list and its
 * provider: {@code public RheoReceiver() { super("RHEO_WEBHOOK_SECRETS", RheoProvider::from); }}. The list
 * comes from that variable (local runs) or, deployed, from the Secrets Manager secret named by
 * {@code RHEO_WEBHOOK_SECRETS_ARN}, read at run time ({@link ProviderSecrets}).
 *
 * <p>A stream handler: it reads the HTTP API event (payload 2.0) itself with one streaming pass and
 * writes the response JSON, so the Lambda runtime does not load its event serializer on a cold start.
 */
public abstract class ReceiverFunction implements RequestStreamHandler {
    private final HttpReceiver receiver;
    private final SnapStartPriming priming;

    /** The Lambda runtime's path: configuration from the environment, validated here, once per container. */
    protected ReceiverFunction(String secretsVariable, Function<Env, WebhookProvider> provider) {
        this(secretsVariable, provider, Env.system(), Clock.systemUTC(),
                Observability.lambda(Clock.systemUTC(), Env.system()));
    }

    /** The composition root, also used by {@code ./inlet local} with its own environment and log. */
    protected ReceiverFunction(String secretsVariable, Function<Env, WebhookProvider> provider, Env env,
                               Clock clock, Observability observability) {
        this(compose(secretsVariable, provider, env, new AwsClients(BackendSettings.from(env)), clock,
                observability));
    }

    /**
     * What a receiver function is made of, on given AWS clients (tests pass clients that count or fail
     * calls at the SDK boundary).
     *
     * @param secretsVariable the plain secret-list variable; its {@code _ARN} twin names the secret in AWS
     */
    public static HttpReceiver compose(String secretsVariable, Function<Env, WebhookProvider> provider, Env env,
                                       AwsClients clients, Clock clock, Observability observability) {
        WebhookProvider keyed = ProviderSecrets.provider(env, secretsVariable, provider,
                () -> new SecretsManagerReader(clients.secretsManager()), clock, observability.log());
        return HttpReceiver.create(keyed, clients, IntakeSettings.from(env), clock, observability);
    }

    protected ReceiverFunction(HttpReceiver receiver) {
        this.receiver = receiver;
        this.priming = SnapStartPriming.register(() -> {
            primeEventFormat();
            receiver.intake().prime();
        }, receiver.log());
    }

    /** What SnapStart runs before the snapshot: the request path, without writing anything. */
    public final SnapStartPriming priming() {
        return priming;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        LambdaLogSink.startInvocation(context);
        HttpApiEvent event;
        try {
            event = HttpApiEvent.read(input);
        } catch (IOException e) {
            // Not what API Gateway sends (a direct invoke with a wrong payload): nothing was accepted.
            receiver.log().warn("rejected", "provider", receiver.intake().provider().name(),
                    "reason", "bad_event", "status", 400);
            HttpApiResponse.json(400, "{\"error\":\"bad_event\"}").writeTo(output);
            return;
        }
        receiver.handle(event, traceHeader(context)).writeTo(output);
    }

    /**
     * The invocation's X-Ray trace header ({@code Root=...;Parent=...;Sampled=...}): what the runtime hands the
     * context, else what the Java runtime sets as the system property {@code com.amazonaws.xray.traceHeader} for
     * each invocation. Empty when the invocation is not traced.
     */
    static Optional<String> traceHeader(Context context) {
        String header = context == null ? null : context.getXrayTraceId();
        if (header == null || header.isBlank()) {
            header = System.getProperty("com.amazonaws.xray.traceHeader");
        }
        return header == null || header.isBlank() ? Optional.empty() : Optional.of(header);
    }

    /** Reads a made-up event and writes an answer, so the snapshot holds the stream path's classes. */
    private static void primeEventFormat() {
        byte[] event = ("{\"version\":\"2.0\",\"headers\":{\"content-type\":\"application/json\"},"
                + "\"pathParameters\":{\"p\":\"v\"},\"requestContext\":{\"requestId\":\"priming\",\"http\":"
                + "{\"method\":\"POST\"}},\"body\":\"{}\",\"isBase64Encoded\":false}")
                .getBytes(StandardCharsets.UTF_8);
        try {
            HttpApiEvent.read(new ByteArrayInputStream(event));
            HttpApiResponse.json(200, "{\"status\":\"priming\"}").writeTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
