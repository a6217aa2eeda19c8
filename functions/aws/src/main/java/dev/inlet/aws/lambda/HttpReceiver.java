package dev.inlet.aws.lambda;

import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.aws.sqs.SqsEventQueue;
import dev.inlet.core.config.IntakeSettings;
import dev.inlet.core.ingest.Headers;
import dev.inlet.core.ingest.IntakeResult;
import dev.inlet.core.ingest.IntakeService;
import dev.inlet.core.ingest.RawRequest;
import dev.inlet.core.ingest.WebhookProvider;
import dev.inlet.core.observe.Log;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

/**
 * An API Gateway HTTP API (payload 2.0) receiver: turns the event into a {@link RawRequest} (body bytes
 * exactly as sent), runs intake, and turns the result into a response with a short JSON code.
 */
public final class HttpReceiver {
    private final IntakeService intake;
    private final Log log;

    public HttpReceiver(IntakeService intake, Log log) {
        this.intake = intake;
        this.log = log;
    }

    /** The composition root shared by every receiver function: AWS clients, store, queue, intake. */
    public static HttpReceiver create(WebhookProvider provider, AwsClients clients, IntakeSettings settings,
                                      Clock clock, Observability observability) {
        BackendSettings backend = clients.settings();
        IntakeService intake = new IntakeService(provider,
                new DynamoDbEventStore(clients.dynamoDb(), backend.eventsTable()),
                new SqsEventQueue(clients.sqs(), backend.requireQueueUrl()),
                settings.requireBodiesFit(DynamoDbEventStore.MAX_BODY_BYTES, DynamoDbEventStore.MAX_BODY_REASON),
                clock, observability.log(), observability.metrics());
        return new HttpReceiver(intake, observability.log());
    }

    public IntakeService intake() {
        return intake;
    }

    public Log log() {
        return log;
    }

    /** A request outside a traced invocation ({@code ./inlet local}, tests). */
    public HttpApiResponse handle(HttpApiEvent event) {
        return handle(event, Optional.empty());
    }

    /** @param traceHeader the invocation's X-Ray trace header: stored on the record, sent on with its message */
    public HttpApiResponse handle(HttpApiEvent event, Optional<String> traceHeader) {
        String provider = intake.provider().name();
        byte[] body;
        try {
            body = bodyOf(event);
        } catch (IllegalArgumentException e) {
            boolean hidden = intake.provider().hidesRoute();
            log.warn("rejected", "provider", provider, "reason", "bad_encoding", "status", hidden ? 404 : 400);
            return hidden ? HttpApiResponse.notFound() : HttpApiResponse.json(400, "{\"error\":\"bad_encoding\"}");
        }
        String requestId = event.requestId();
        RawRequest request = new RawRequest(body, Headers.of(event.headers()), event.pathParameters(), requestId,
                traceHeader);
        IntakeResult result;
        try {
            result = intake.receive(request);
        } catch (RuntimeException e) {
            // A bug or an unexpected fault: nothing about the request goes into the log, and the provider
            // retries (anything committed already is a duplicate then).
            log.error("intake_crashed", "provider", provider, "error", e.getClass().getName(),
                    "requestId", requestId);
            return HttpApiResponse.json(503, "{\"error\":\"unavailable\"}");
        }
        if (result instanceof IntakeResult.Rejected && intake.provider().hidesRoute()) {
            return HttpApiResponse.notFound();
        }
        String key = result.status() < 300 ? "status" : "error";
        return HttpApiResponse.json(result.status(), "{\"" + key + "\":\"" + result.code() + "\"}");
    }

    private static byte[] bodyOf(HttpApiEvent event) {
        String body = event.body();
        if (body == null) {
            return new byte[0];
        }
        return event.isBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
    }
}
